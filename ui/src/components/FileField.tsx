import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { when } from '../format';
import type { ParamNode, ProjectFile } from '../types';
import { ErrorBox } from './ErrorBox';

/** Project files a file parameter accepts: its class (or a subclass) and content flag, latest first. */
export function filesFor(node: ParamNode, files: ProjectFile[]): ProjectFile[] {
  const accepted = new Set([node.className]);
  const flags = node.qualifiers.requiredContentFlag;
  const flagList = Array.isArray(flags) ? (flags as number[]) : typeof flags === 'number' ? [flags] : [];
  const ext = node.qualifiers.fileExtensions;
  const exts = Array.isArray(ext) ? (ext as string[]).map((e) => `.${e.toLowerCase()}`) : [];
  return files
    .filter((f) => {
      const classOk = f.className
        ? accepted.has(f.className) || (node.file?.classes ?? []).includes(f.className)
        : exts.some((e) => f.path.toLowerCase().endsWith(e));
      const flagOk = flagList.length === 0 || f.contentFlag === null || flagList.includes(f.contentFlag);
      return classOk && flagOk;
    })
    .sort((a, b) => b.created.localeCompare(a.created));
}

export function FileField(props: {
  node: ParamNode;
  id: string;
  projectId: string;
  files: ProjectFile[];
  value: string;
  onChange: (path: string) => void;
  onUploaded: (file: ProjectFile) => void;
}) {
  const { node, id, projectId, value } = props;
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const choices = filesFor(node, props.files);
  const known = choices.some((f) => f.path === value);

  const upload = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const form = new FormData();
      form.append('className', node.className);
      form.append('file', file, file.name);
      const rec = await api.upload<ProjectFile>(`/api/projects/${enc(projectId)}/files`, form);
      props.onUploaded(rec);
      props.onChange(rec.path);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      input.value = '';
    }
  };

  return (
    <div class="file-field">
      <select
        id={id}
        name={node.path}
        value={value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        <option value="">— choose a file —</option>
        {!known && value ? <option value={value}>{value}</option> : null}
        {choices.map((f) => (
          <option key={f.id} value={f.path}>
            {f.jobNumber ? `job ${f.jobNumber}: ` : 'imported: '}
            {f.relPath}
            {f.annotation ? ` (${f.annotation})` : ''} — {when(f.created)}
          </option>
        ))}
      </select>
      <label class="upload">
        <span>{busy ? 'Uploading…' : 'Upload…'}</span>
        <input
          type="file"
          name={`${node.path}.upload`}
          data-upload={node.path}
          onChange={upload}
          disabled={busy}
        />
      </label>
      <ErrorBox error={error} />
    </div>
  );
}
