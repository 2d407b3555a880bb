export type { ConnectSignalOptions, FinishedPayload } from './connect-signal.js';
export { connectSignal } from './connect-signal.js';
export type { LifecycleState } from './hierarchical-object.js';
export { HierarchicalObject } from './hierarchical-object.js';
export type { ConnectionOwner, ConnectOptions, Slot } from './signal.js';
export { Signal } from './signal.js';
