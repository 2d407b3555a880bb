import { Ccp4Error } from '../errors/ccp4-error.js';
import { registerErrorCodes } from '../report/error-codes.js';
import type { ConnectionOwner } from './signal.js';
import { Signal } from './signal.js';

export type LifecycleState = 'created' | 'active' | 'destroyed';

registerErrorCodes('HierarchicalObject', {
  1: { description: 'Operation on a destroyed object' },
  2: { description: 'Cannot make an object its own ancestor' },
});
registerErrorCodes('Signal', { 1: { description: 'A signal slot threw an exception' } });

let counter = 0;

/**
 * A named node with one parent and ordered children. Order is insertion order and is what every walk
 * (find, serialisation, validation) follows, so results are deterministic.
 */
export class HierarchicalObject implements ConnectionOwner {
  private _name: string;
  private _parent: HierarchicalObject | null = null;
  private readonly _children: HierarchicalObject[] = [];
  private _state: LifecycleState = 'created';
  private _connections: Set<() => void> | undefined;
  private _destroyed: Signal<HierarchicalObject> | undefined;
  private _childAdded: Signal<HierarchicalObject> | undefined;
  private _childRemoved: Signal<HierarchicalObject> | undefined;
  /**
   * Name → first child with it; built on demand for large nodes, kept up to date by appends (so loading
   * n children stays linear), dropped by other changes that could alter which child comes first.
   */
  private _byName: Map<string, HierarchicalObject> | undefined;

  constructor(name?: string, parent?: HierarchicalObject | null) {
    this._name = name ?? `${this.constructor.name}_${++counter}`;
    if (parent) parent.addChild(this);
  }

  get name(): string {
    return this._name;
  }

  set name(n: string) {
    this._name = n;
    if (this._parent) this._parent._byName = undefined;
  }

  get parent(): HierarchicalObject | null {
    return this._parent;
  }

  get state(): LifecycleState {
    return this._state;
  }

  /** Emitted once, at the start of destroy(). Created on first use. */
  get destroyed(): Signal<HierarchicalObject> {
    this._destroyed ??= new Signal<HierarchicalObject>(`${this._name}.destroyed`);
    return this._destroyed;
  }

  /** Emitted after a child is attached here (addChild, replaceChild), with the child. Created on first use. */
  get childAdded(): Signal<HierarchicalObject> {
    this._childAdded ??= new Signal<HierarchicalObject>(`${this._name}.childAdded`);
    return this._childAdded;
  }

  /** Emitted after a child is detached from here (detach, destroy, a move elsewhere), with the child. */
  get childRemoved(): Signal<HierarchicalObject> {
    this._childRemoved ??= new Signal<HierarchicalObject>(`${this._name}.childRemoved`);
    return this._childRemoved;
  }

  /** Children in insertion order (a copy). */
  children(): HierarchicalObject[] {
    return [...this._children];
  }

  get childCount(): number {
    return this._children.length;
  }

  /** Direct child by name (the first one if several share it). */
  child(name: string): HierarchicalObject | undefined {
    if (this._children.length < 16) return this._children.find((c) => c._name === name);
    if (!this._byName) {
      this._byName = new Map();
      for (const c of this._children) if (!this._byName.has(c._name)) this._byName.set(c._name, c);
    }
    return this._byName.get(name);
  }

  /** Marks the node ready for use (created → active). Attaching to a parent does it too. */
  activate(): this {
    this.assertAlive();
    this._state = 'active';
    return this;
  }

  /** Appends `node` as the last child (or at `index`), detaching it from any previous parent. */
  addChild<C extends HierarchicalObject>(node: C, index?: number): C {
    this.assertAlive();
    node.assertAlive();
    for (let p: HierarchicalObject | null = this; p; p = p._parent) {
      if (p === node) {
        throw new Ccp4Error({
          className: 'HierarchicalObject',
          code: 2,
          message: `cannot add ${node._name} under its own descendant ${this._name}`,
        });
      }
    }
    node.detach();
    node._parent = this;
    if (index === undefined || index >= this._children.length) {
      this._children.push(node);
      // Appended last: it is the first of its name only if no earlier child has the name.
      if (this._byName && !this._byName.has(node._name)) this._byName.set(node._name, node);
    } else {
      this._children.splice(Math.max(0, index), 0, node);
      this._byName = undefined;
    }
    if (node._state === 'created') node._state = 'active';
    this._childAdded?.emit(node);
    return node;
  }

  /** Removes this node from its parent (it stays alive). */
  detach(): void {
    const p = this._parent;
    if (!p) return;
    const i = p._children.indexOf(this);
    if (i >= 0) p._children.splice(i, 1);
    // Only the first child of a name is in the index: removing any other leaves it right.
    if (p._byName?.get(this._name) === this) p._byName = undefined;
    this._parent = null;
    p._childRemoved?.emit(this);
  }

  /** Replaces child `old` by `node` at the same position. */
  replaceChild(old: HierarchicalObject, node: HierarchicalObject): void {
    const i = this._children.indexOf(old);
    if (i < 0) {
      this.addChild(node);
      return;
    }
    old.detach();
    this.addChild(node, i);
  }

  /**
   * Whether `find` searches below this node when looking a plain name up. Default true; CData leaves
   * (cells, files) say no so that `find('a')` does not match a cell length deep inside.
   */
  protected searchDescendants(): boolean {
    return true;
  }

  /**
   * Finds a descendant. A plain name matches a direct child first, then searches depth-first in
   * insertion order (first match wins). A dotted path `a.b.c` takes each step as a direct child after
   * the first, which is itself found as a plain name; `LIST[2]` indexes a child's children.
   */
  find(path: string): HierarchicalObject | undefined {
    if (path === '') return undefined;
    const steps = splitPath(path);
    let node = this.findName(steps[0]!);
    for (let i = 1; node && i < steps.length; i++) node = node.stepTo(steps[i]!);
    return node;
  }

  private findName(step: PathStep): HierarchicalObject | undefined {
    const direct = this.stepTo(step);
    if (direct) return direct;
    for (const c of this._children) {
      if (!c.searchDescendants()) continue;
      const hit = c.findName(step);
      if (hit) return hit;
    }
    return undefined;
  }

  private stepTo(step: PathStep): HierarchicalObject | undefined {
    let node: HierarchicalObject | undefined = step.name === '' ? this : this.child(step.name);
    for (const i of step.indices) node = node?._children[i];
    return node;
  }

  /** Ancestors from the parent up to the root. */
  ancestors(): HierarchicalObject[] {
    const out: HierarchicalObject[] = [];
    for (let p = this._parent; p; p = p._parent) out.push(p);
    return out;
  }

  root(): HierarchicalObject {
    let n: HierarchicalObject = this;
    while (n._parent) n = n._parent;
    return n;
  }

  /** Dot-joined names from the root: `container.inputData.HKLIN`; list items `LIST[0]`. */
  objectPath(): string {
    return this.pathFrom(null);
  }

  /** Path relative to an ancestor (excluded): `inputData.HKLIN` from the task container. */
  pathFrom(ancestor: HierarchicalObject | null): string {
    const names: string[] = [];
    for (let n: HierarchicalObject | null = this; n && n !== ancestor; n = n._parent) names.push(n._name);
    let out = '';
    for (let i = names.length - 1; i >= 0; i--) {
      const nm = names[i]!;
      if (nm === '') continue;
      out += out === '' || nm.startsWith('[') ? nm : `.${nm}`;
    }
    return out;
  }

  /** Depth-first walk in insertion order (pre-order), this node first. */
  *walk(): Generator<HierarchicalObject> {
    yield this;
    for (const c of this._children) yield* c.walk();
  }

  adoptConnection(dispose: () => void): void {
    this.assertAlive();
    this._connections ??= new Set();
    this._connections.add(dispose);
  }

  releaseConnection(dispose: () => void): void {
    this._connections?.delete(dispose);
  }

  /**
   * Emits `destroyed`, destroys the children, detaches, drops every connection this node owns and
   * disconnects its own signals.
   */
  destroy(): void {
    if (this._state === 'destroyed') return;
    this._destroyed?.emit(this);
    for (const c of [...this._children]) c.destroy();
    this.detach();
    if (this._connections) {
      for (const d of [...this._connections]) d();
      this._connections = undefined;
    }
    for (const s of [this._destroyed, this._childAdded, this._childRemoved]) s?.disconnect();
    this._destroyed = undefined;
    this._childAdded = undefined;
    this._childRemoved = undefined;
    this._state = 'destroyed';
  }

  protected assertAlive(): void {
    if (this._state === 'destroyed') {
      throw new Ccp4Error({
        className: 'HierarchicalObject',
        code: 1,
        message: `${this._name} has been destroyed`,
      });
    }
  }
}

interface PathStep {
  name: string;
  indices: number[];
}

function splitPath(path: string): PathStep[] {
  return path.split('.').map((seg) => {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m?.[2]) return { name: seg, indices: [] };
    const indices = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return { name: m[1]!, indices };
  });
}
