import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { kindOf } from '../files/kind.js';
import type { CErrorReport } from '../report/error-report.js';
import { CData, type FileContext, type IsSetOptions, type PlainValue } from './cdata.js';
import type { Qualifiers } from './classes/spec.js';
import { CDataStruct, isPlainObject } from './composite.js';
import type { CString } from './fundamental.js';

/** Project alias meaning "the CCP4i2 installation" (files shipped with CCP4i2, test data). */
export const CCP4I2_TOP = 'CCP4I2_TOP';

/**
 * A file parameter: project, relPath, baseName, annotation, dbFileId, subType, contentFlag (and any
 * class-specific members). The file is set when baseName is set.
 */
export class CDataFile extends CDataStruct {
  constructor(className: string, name?: string, qualifiers?: Qualifiers) {
    super(className, name, qualifiers);
  }

  private str(member: string): string | null {
    const m = this.content(member) as CString | undefined;
    const v = m?.value;
    return typeof v === 'string' && v !== '' ? v : null;
  }

  get project(): string | null {
    return this.str('project');
  }

  get relPath(): string | null {
    return this.str('relPath');
  }

  get baseName(): string | null {
    return this.str('baseName');
  }

  get annotation(): string | null {
    return this.str('annotation');
  }

  get dbFileId(): string | null {
    return this.str('dbFileId');
  }

  get subType(): number | null {
    return (this.content('subType')?.get() as number | null) ?? null;
  }

  get contentFlag(): number | null {
    return (this.content('contentFlag')?.get() as number | null) ?? null;
  }

  override isSet(opts: IsSetOptions = {}): boolean {
    return this.content('baseName')?.isSet(opts) ?? false;
  }

  /** A string is a path (setFullPath); dicts and CData copy members as for any structure. */
  override set(value: unknown): void {
    if (typeof value === 'string') {
      this.setFullPath(value);
      return;
    }
    if (value instanceof CData || isPlainObject(value) || value === null || value === undefined) {
      super.set(value);
      return;
    }
    throw this.wrongType(value, 'a file path or a dict of file members');
  }

  override get(): PlainValue {
    return super.get();
  }

  /**
   * The absolute path, or null when there is no baseName or the project cannot be resolved.
   * Order: absolute baseName; `$VAR/...` relPath; project alias CCP4I2_TOP (context, then env);
   * another project through the context's resolver or project directory; absolute relPath; else
   * relPath/baseName relative to the project directory or the current directory.
   */
  getFullPath(context: FileContext = {}): string | null {
    const base = this.baseName;
    if (!base) return null;
    if (isAbsolute(base)) return base;
    const ctx = { ...this.effectiveFileContext(), ...context };
    let rel = this.relPath ?? '';
    const env = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(rel);
    if (env) {
      const v = env[1] === CCP4I2_TOP ? (ctx.ccp4i2Top ?? process.env.CCP4I2_TOP) : process.env[env[1]!];
      if (!v) return null;
      rel = join(v, env[2]!);
    }
    if (isAbsolute(rel)) return join(rel, base);
    const project = this.project;
    let dir: string | undefined;
    if (project === CCP4I2_TOP) {
      dir = ctx.ccp4i2Top ?? process.env.CCP4I2_TOP;
      if (!dir) return null;
    } else if (project) {
      dir = ctx.resolveProject?.(project) ?? (ctx.projectId === project ? ctx.projectDirectory : undefined);
      if (!dir && !ctx.projectDirectory) return null;
      dir ??= ctx.projectDirectory;
    } else dir = ctx.projectDirectory;
    return resolve(dir ?? process.cwd(), rel, base);
  }

  /**
   * Stores a path: inside the CCP4I2_TOP root → project CCP4I2_TOP + relPath; inside the project
   * directory → the project id + relPath; otherwise the absolute directory as relPath. Then detects
   * the content flag when the class knows how.
   */
  setFullPath(path: string, context: FileContext = {}): void {
    if (path === '') {
      this.unSet();
      return;
    }
    const ctx = { ...this.effectiveFileContext(), ...context };
    const abs = resolve(path);
    const top = ctx.ccp4i2Top ?? process.env.CCP4I2_TOP;
    const inside = (root: string | undefined) => {
      if (!root) return undefined;
      const r = relative(resolve(root), dirname(abs));
      return r === '' || (!r.startsWith('..') && !isAbsolute(r)) ? r : undefined;
    };
    let project: string | null = null;
    let rel: string = dirname(abs);
    const inTop = inside(top);
    const inProject = ctx.projectId ? inside(ctx.projectDirectory) : undefined;
    if (inProject !== undefined) {
      project = ctx.projectId!;
      rel = inProject.split(sep).join('/');
    } else if (inTop !== undefined) {
      project = CCP4I2_TOP;
      rel = inTop.split(sep).join('/');
    }
    this.content('project')?.set(project);
    this.content('relPath')?.set(rel === '' ? null : rel);
    this.content('baseName')?.set(basename(abs));
    this.content('dbFileId')?.unSet();
    this.detectContentFlag();
  }

  /** Whether the file exists (a directory when isDirectory is true). */
  exists(context?: FileContext): boolean {
    const p = this.getFullPath(context);
    if (!p) return false;
    try {
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) return false;
      return this.qualifier('isDirectory') === true ? st.isDirectory() : st.isFile();
    } catch {
      return false;
    }
  }

  /** Sets contentFlag from the file when the class can tell; returns the flag or undefined. */
  detectContentFlag(): number | undefined {
    const p = this.getFullPath();
    // Only regular files are looked into: opening a FIFO or a device could block or have effects.
    if (!p || !statSync(p, { throwIfNoEntry: false })?.isFile()) return undefined;
    const flag = this.contentFlagFromFile(p);
    if (flag !== undefined) this.content('contentFlag')?.set(flag);
    return flag;
  }

  /** Hook for subclasses (CPdbDataFile, CMiniMtzDataFile). */
  protected contentFlagFromFile(_path: string): number | undefined {
    return undefined;
  }

  override checkValidity(r: CErrorReport): void {
    if (!this.isSet()) {
      if (!this.allowUndefined()) this.report(r, 100);
      return;
    }
    if (this.qualifier('mustExist') === true && !this.exists()) {
      const p = this.getFullPath();
      const st = p ? statSync(p, { throwIfNoEntry: false }) : undefined;
      this.report(
        r,
        101,
        !p
          ? 'its project directory cannot be resolved'
          : st
            ? `${p} is ${kindOf(st)}, not a ${this.qualifier('isDirectory') === true ? 'directory' : 'regular file'}`
            : `${p} does not exist`,
      );
    }
    this.checkAccepted(r, 'requiredContentFlag', this.contentFlag, 106, 'content flag');
    this.checkAccepted(r, 'requiredSubType', this.subType, 107, 'sub-type');
    for (const c of this.contents()) if (c.name !== 'baseName') c.checkValidity(r);
  }

  private checkAccepted(
    r: CErrorReport,
    qualifier: string,
    value: number | null,
    code: number,
    what: string,
  ): void {
    const accepted = this.qualifier(qualifier);
    if (value === null || !Array.isArray(accepted) || accepted.length === 0 || accepted.includes(value))
      return;
    this.report(r, code, `${what} ${value} is not one of ${accepted.join(', ')}`);
  }
}
