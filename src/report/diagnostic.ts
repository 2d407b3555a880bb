import { Ccp4Error } from '../errors/ccp4-error.js';
import { isSeverity, Severity, severityName } from '../errors/severity.js';
import { writeFileAtomicSync } from '../files/write.js';
import {
  child,
  childText,
  element,
  localName,
  readXmlFile,
  serializeXml,
  type XmlElement,
} from '../xml/index.js';
import { CErrorReport, type ErrorEntry } from './error-report.js';

/**
 * diagnostic.xml, as legacy CCP4i2 writes it: `<errorReportList>` of `<errorReport>` with className,
 * code, description, severity (number), details, time; we add objectPath, severityName, file and line
 * (readers ignore unknown tags).
 */
export function errorReportToXml(report: CErrorReport): XmlElement {
  return element(
    'errorReportList',
    report.entries.map((e) => {
      const fields: XmlElement[] = [
        element('className', [], e.className),
        element('code', [], String(e.code)),
        element('description', [], e.description),
        element('severity', [], String(e.severity)),
        element('severityName', [], severityName(e.severity)),
        element('details', [], e.details),
        element('time', [], e.time),
      ];
      if (e.objectPath) fields.push(element('objectPath', [], e.objectPath));
      if (e.file) fields.push(element('file', [], e.file));
      if (e.line !== undefined) fields.push(element('line', [], String(e.line)));
      return element('errorReport', fields);
    }),
  );
}

/** Writes diagnostic.xml whole or not at all (a full disk leaves no empty or truncated file). */
export function writeDiagnosticXml(report: CErrorReport, path: string): void {
  writeFileAtomicSync(path, serializeXml(errorReportToXml(report)));
}

function bad(code: number, msg: string, file?: string, line?: number): never {
  throw new Ccp4Error({ className: 'CErrorReport', code, message: msg, file, line });
}

/** Reads an errorReportList element (the root, or found one level down as in a job's report). */
export function errorReportFromXml(root: XmlElement, file?: string): CErrorReport {
  const list = localName(root) === 'errorReportList' ? root : child(root, 'errorReportList');
  if (!list) bad(2, `root element is <${root.name}>, not <errorReportList>`, file, root.line);
  const report = new CErrorReport();
  for (const el of list.children) {
    if (localName(el) !== 'errorReport') continue;
    const num = (name: string, required: boolean): number | undefined => {
      const t = childText(el, name);
      if (t === undefined || t === '') {
        if (required) bad(3, `<errorReport> without <${name}>`, file, el.line);
        return undefined;
      }
      const n = Number(t);
      if (!Number.isInteger(n)) bad(3, `<${name}> is not an integer: '${t}'`, file, el.line);
      return n;
    };
    const code = num('code', true)!;
    // Python CCP4i2 writes the severity as a number; some writers use its name.
    const sevText = childText(el, 'severity') ?? '';
    let severity: Severity = Severity.ERROR;
    if (/^\d+$/.test(sevText) && isSeverity(Number(sevText))) severity = Number(sevText) as Severity;
    else if (sevText) {
      const byName = (Severity as Record<string, Severity>)[sevText.toUpperCase()];
      if (byName === undefined) bad(3, `unknown severity '${sevText}'`, file, el.line);
      severity = byName;
    }
    const entry: ErrorEntry = {
      className: childText(el, 'className') ?? childText(el, 'class') ?? '',
      code,
      severity,
      description: childText(el, 'description') ?? childText(el, 'name') ?? '',
      details: childText(el, 'details') ?? '',
      objectPath: childText(el, 'objectPath') ?? '',
      time: childText(el, 'time') ?? '',
    };
    const f = childText(el, 'file');
    if (f) entry.file = f;
    const line = num('line', false);
    if (line !== undefined) entry.line = line;
    report.push(entry);
  }
  return report;
}

export function readDiagnosticXml(path: string): CErrorReport {
  return errorReportFromXml(readXmlFile(path), path);
}
