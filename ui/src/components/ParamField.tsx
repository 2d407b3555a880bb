import type { ParamNode, PlainValue, ProjectFile, ValidationEntry } from '../types';
import { Entries } from './Entries';
import { FileField } from './FileField';

export interface FieldContext {
  projectId: string;
  files: ProjectFile[];
  values: Record<string, PlainValue>;
  messages: Map<string, ValidationEntry[]>;
  set: (path: string, value: PlainValue) => void;
  addFile: (f: ProjectFile) => void;
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',') : [];

/** CCP4i2's standard containers as its GUI names them. */
const CONTAINER_LABELS: Record<string, string> = {
  inputData: 'Input data',
  controlParameters: 'Options',
  outputData: 'Output data',
};

function label(node: ParamNode): string {
  const l = node.qualifiers.guiLabel;
  if (typeof l === 'string' && l) return l;
  return (node.kind === 'container' && CONTAINER_LABELS[node.name]) || node.name;
}

function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The form of a container or structure: one field per member. */
export function ParamGroup({ nodes, ctx }: { nodes: ParamNode[]; ctx: FieldContext }) {
  return (
    <>
      {nodes.map((n) => (
        <ParamField key={n.path} node={n} ctx={ctx} />
      ))}
    </>
  );
}

export function ParamField({ node, ctx }: { node: ParamNode; ctx: FieldContext }) {
  const id = fieldId(node.path);
  const tip = typeof node.qualifiers.toolTip === 'string' ? node.qualifiers.toolTip : '';
  const msgs = ctx.messages.get(node.path) ?? [];
  if (node.kind === 'container' || (node.kind === 'composite' && node.children)) {
    if (node.kind === 'container' && !node.children?.length && msgs.length === 0) return null;
    return (
      <fieldset>
        <legend title={tip || undefined}>{label(node)}</legend>
        <ParamGroup nodes={node.children ?? []} ctx={ctx} />
        <Messages id={id} msgs={msgs} />
      </fieldset>
    );
  }
  const has = Object.hasOwn(ctx.values, node.path);
  const value = has ? ctx.values[node.path] : node.value;
  return (
    <div class={`field${msgs.some((m) => m.severity >= 4) ? ' invalid' : ''}`} data-path={node.path}>
      <label for={id} title={tip || undefined}>
        {label(node)}
      </label>
      <div class="control">
        <Control node={node} id={id} value={value} ctx={ctx} described={msgs.length > 0 || !!tip} />
        {tip ? (
          <small class="tip" id={`${id}-tip`}>
            {tip}
          </small>
        ) : null}
        <Messages id={id} msgs={msgs} />
      </div>
    </div>
  );
}

function Messages({ id, msgs }: { id: string; msgs: ValidationEntry[] }) {
  return <Entries entries={msgs} id={`${id}-msg`} />;
}

function Control(props: {
  node: ParamNode;
  id: string;
  value: PlainValue;
  ctx: FieldContext;
  described: boolean;
}) {
  const { node, id, value, ctx } = props;
  const q = node.qualifiers;
  const aria = props.described ? `${id}-tip ${id}-msg` : undefined;
  const set = (v: PlainValue) => ctx.set(node.path, v);
  if (node.kind === 'file') {
    const path =
      typeof value === 'string'
        ? value
        : (((value as Record<string, PlainValue> | null)?.fullPath as string) ?? '');
    return (
      <FileField
        node={node}
        id={id}
        projectId={ctx.projectId}
        files={ctx.files}
        value={path ?? ''}
        onChange={set}
        onUploaded={ctx.addFile}
      />
    );
  }
  if (node.kind === 'boolean')
    return (
      <input
        id={id}
        name={node.path}
        type="checkbox"
        checked={value === true}
        aria-describedby={aria}
        onChange={(e) => set((e.target as HTMLInputElement).checked)}
      />
    );
  const enums = list(q.enumerators);
  if (enums.length > 0 && q.onlyEnumerators === true) {
    const texts = list(q.menuText);
    return (
      <select
        id={id}
        name={node.path}
        value={value === null ? '' : String(value)}
        aria-describedby={aria}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          set(v === '' ? null : node.kind === 'int' || node.kind === 'float' ? Number(v) : v);
        }}
      >
        {value === null ? <option value="">—</option> : null}
        {enums.map((v, i) => (
          <option key={v} value={v}>
            {texts[i] ?? v}
          </option>
        ))}
      </select>
    );
  }
  if (node.kind === 'int' || node.kind === 'float')
    return (
      <input
        id={id}
        name={node.path}
        type="text"
        inputMode="decimal"
        value={value === null || value === undefined ? '' : String(value)}
        aria-describedby={aria}
        placeholder={
          [q.min, q.max].some((x) => x !== null && x !== undefined) ? `${q.min ?? ''} … ${q.max ?? ''}` : ''
        }
        onInput={(e) => {
          // Sent as typed: the server's validation (the CLI's) says whether it is a number in range.
          const t = (e.target as HTMLInputElement).value.trim();
          set(t === '' ? null : Number.isNaN(Number(t)) ? t : Number(t));
        }}
      />
    );
  if (node.kind === 'list')
    return <span class="muted">list of {node.subItem?.className ?? 'values'} (set it with i2run)</span>;
  return (
    <>
      <input
        id={id}
        name={node.path}
        type="text"
        list={enums.length ? `${id}-list` : undefined}
        value={value === null || value === undefined ? '' : String(value)}
        aria-describedby={aria}
        onInput={(e) => set((e.target as HTMLInputElement).value)}
      />
      {enums.length ? (
        <datalist id={`${id}-list`}>
          {enums.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ) : null}
    </>
  );
}
