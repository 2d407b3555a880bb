import { hostname, userInfo } from 'node:os';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import { writeFileAtomicSync } from '../files/write.js';
import { CErrorReport } from '../report/error-report.js';
import { element, localName, type XmlElement } from '../xml/element.js';
import { parseXml, readXmlFile } from '../xml/parse.js';
import { serializeXml } from '../xml/serialize.js';
import type { ParamsSaveOptions } from './cdata.js';
import type { CContainer } from './container.js';
import { MAX_REPORTED_PER_CODE, readHeader, type XmlHeader } from './def-xml.js';

export interface LoadParamsOptions {
  /**
   * The task the file must belong to (header pluginName). Default: the container's taskName. A file
   * for another task is refused (CContainer 111) and nothing is loaded. Pass null to accept any.
   */
  pluginName?: string | null;
}

export interface ParamsLoadResult {
  header: XmlHeader;
  report: CErrorReport;
}

/** Finds the body as CCP4i2 does: ccp4i2_body, else body, else any *body*, else a container root. */
function findBody(root: XmlElement): XmlElement | undefined {
  const byName = (n: string) => root.children.find((c) => localName(c) === n);
  let body =
    byName('ccp4i2_body') ??
    byName('body') ??
    root.children.find((c) => localName(c).toLowerCase().includes('body')) ??
    (localName(root).toLowerCase().includes('container') ? root : undefined);
  // Legacy files wrap the body's members in one <container>.
  if (body && body.children.length === 1 && localName(body.children[0]!) === 'container')
    body = body.children[0];
  return body;
}

/**
 * Loads a `.params.xml` into a task container. Unreadable or malformed files, and files whose root is not
 * `<ccp4i2>` (or a legacy `<container>`), throw a Ccp4Error; bad
 * values (wrong type, unknown element) are reported and the rest loads. Unknown elements are kept and
 * written back by saveParamsFile.
 */
export function loadParamsFile(
  container: CContainer,
  path: string,
  opts: LoadParamsOptions = {},
): ParamsLoadResult {
  return loadParamsXml(container, readXmlFile(path), path, opts);
}

/** Loads parameters from text; `file` names it in messages. */
export function loadParamsString(
  container: CContainer,
  text: string,
  file: string,
  opts: LoadParamsOptions = {},
): ParamsLoadResult {
  return loadParamsXml(container, parseXml(text, { file }), file, opts);
}

function loadParamsXml(
  container: CContainer,
  xml: XmlElement,
  path: string,
  opts: LoadParamsOptions,
): ParamsLoadResult {
  const rootName = localName(xml);
  // CCP4i2's own root, or the legacy bare container: anything else is not a parameter file.
  if (rootName !== 'ccp4i2' && !rootName.toLowerCase().includes('container')) {
    throw new Ccp4Error({
      className: 'CContainer',
      code: 101,
      message: `root element is <${xml.name}>, expected <ccp4i2>: not a CCP4i2 parameter file`,
      file: path,
      line: xml.line,
    });
  }
  const header = readHeader(xml);
  const report = new CErrorReport({ maxPerCode: MAX_REPORTED_PER_CODE });
  const expected = opts.pluginName === undefined ? container.taskName : opts.pluginName;
  if (header.function === 'DEF') {
    report.append('CContainer', 107, {
      details: 'this is a task definition (function DEF), not parameters',
      file: path,
    });
    return { header, report };
  }
  if (expected && header.pluginName && header.pluginName !== expected) {
    report.append('CContainer', 111, {
      details: `parameters of task '${header.pluginName}', not '${expected}'`,
      file: path,
      objectPath: container.objectPath(),
    });
    return { header, report };
  }
  const body = findBody(xml);
  if (!body) {
    report.append('CContainer', 102, { details: 'no <ccp4i2_body>', file: path, line: xml.line });
    return { header, report };
  }
  container.loadParamsXml(body, { report, file: path });
  return { header, report };
}

export interface SaveParamsOptions extends ParamsSaveOptions {
  /** Task name written in the header. */
  pluginName: string;
  jobId?: string | number;
  jobNumber?: string | number;
  projectName?: string;
  projectId?: string;
}

/** The params.xml document for a container (header + body of every set value). */
export function paramsToXml(container: CContainer, opts: SaveParamsOptions): XmlElement {
  const h: XmlElement[] = [
    element('function', [], 'PARAMS'),
    element('userId', [], safeUser()),
    element('hostName', [], hostName()),
    element('creationTime', [], new Date().toISOString()),
    element('ccp4iVersion', [], 'ccp4i2-ts'),
    element('pluginName', [], opts.pluginName),
  ];
  if (opts.jobId !== undefined) h.push(element('jobId', [], String(opts.jobId)));
  if (opts.jobNumber !== undefined) h.push(element('jobNumber', [], String(opts.jobNumber)));
  if (opts.projectName !== undefined) h.push(element('projectName', [], opts.projectName));
  if (opts.projectId !== undefined) h.push(element('projectId', [], opts.projectId));
  const saveOpts: ParamsSaveOptions = { includeDefaults: opts.includeDefaults ?? true };
  const bodyKids = container.toParamsXml(saveOpts)?.children ?? [];
  return element('ccp4:ccp4i2', [element('ccp4i2_header', h), element('ccp4i2_body', bodyKids)], '', {
    'xmlns:ccp4': 'http://www.ccp4.ac.uk/ccp4ns',
  });
}

/** Writes params.xml atomically (temporary file, then rename; the temporary file never stays behind). */
export function saveParamsFile(container: CContainer, path: string, opts: SaveParamsOptions): void {
  if (!opts.pluginName) {
    throw new Ccp4Error({
      className: 'CContainer',
      code: 102,
      message: 'saveParamsFile needs a pluginName',
      file: path,
    });
  }
  const text = serializeXml(paramsToXml(container, opts));
  try {
    // Whole or not at all: a temporary file beside it, renamed; removed when the write fails.
    writeFileAtomicSync(path, text);
  } catch (e) {
    throw new Ccp4Error({
      className: 'CContainer',
      code: 23,
      message: (e as Error).message,
      file: path,
      severity: Severity.ERROR,
    });
  }
}

// os.hostname() is a system call per params file (two per job); read once, like the user below.
let cachedHost: string | undefined;

function hostName(): string {
  cachedHost ??= hostname();
  return cachedHost;
}

// os.userInfo() reads the password database on every call; the user does not change while we run.
let cachedUser: string | undefined;

function safeUser(): string {
  if (cachedUser === undefined) {
    try {
      cachedUser = userInfo().username;
    } catch {
      cachedUser = '';
    }
  }
  return cachedUser;
}
