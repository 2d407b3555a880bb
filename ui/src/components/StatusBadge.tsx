import { STATUS } from '../types';

export function StatusBadge({ status }: { status: number }) {
  const name = STATUS[status as keyof typeof STATUS] ?? `status ${status}`;
  return <span class={`status s${status}`}>{name}</span>;
}
