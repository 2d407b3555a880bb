import {
  type CData,
  CDataFile,
  CList,
  classChain,
  classContentFlags,
  classSubTypes,
  type Kind,
  kindOf,
  type PlainValue,
  type QualifierValue,
} from '../data/index.js';

/** One parameter of a task as the browser's form needs it. */
export interface ParamNode {
  name: string;
  /** Dotted path from the task container (`inputData.HKLIN`): the key of a value in requests. */
  path: string;
  className: string;
  kind: Kind;
  /** Every qualifier in force (class defaults merged with the def file's): guiLabel, toolTip, min... */
  qualifiers: Record<string, QualifierValue>;
  /** The value after loading the def file (its default), as plain JSON. */
  value: PlainValue;
  /** Files: the class chain (for matching project files), content flags and sub-types. */
  file?: {
    classes: string[];
    contentFlags: { flag: number; name: string; annotation: string }[];
    subTypes: { value: number; name: string; description: string }[];
  };
  /** Containers and structures (a cell): their members; a list: the template of its items. */
  children?: ParamNode[];
  subItem?: ParamNode;
}

/** The parameter tree of a task container: its sub-containers and their contents. */
export function paramTree(container: CData): ParamNode[] {
  return container.contents().map((c) => node(c, container));
}

function node(d: CData, root: CData): ParamNode {
  const n: ParamNode = {
    name: d.name,
    path: d.pathFrom(root),
    className: d.className,
    kind: kindOf(d.className),
    qualifiers: { ...d.qualifiers() },
    value: safeGet(d),
  };
  if (d instanceof CDataFile) {
    n.file = {
      classes: classChain(d.className).filter((c) => c.endsWith('DataFile')),
      contentFlags: classContentFlags(d.className).map(({ flag, name, annotation }) => ({
        flag,
        name,
        annotation,
      })),
      subTypes: classSubTypes(d.className),
    };
    return n; // a file's members (project, relPath, baseName...) are not form fields
  }
  if (d instanceof CList) {
    n.subItem = node(d.makeItem(), root);
    n.subItem.path = `${n.path}[]`;
    return n;
  }
  const members = d.contents();
  if (members.length > 0) n.children = members.map((m) => node(m, root));
  return n;
}

function safeGet(d: CData): PlainValue {
  try {
    return d.get();
  } catch {
    return null;
  }
}
