import { SPACE_GROUP_ROWS } from './spacegroup-table.js';

/** One space-group setting. */
export interface SpaceGroupSetting {
  number: number;
  /** CCP4 number (0 when CCP4 has none). */
  ccp4: number;
  /** Extended Hermann-Mauguin symbol with spaces, e.g. `P 1 21 1`, `R 3:H`. */
  hm: string;
  /** Compact form, e.g. `P21`. */
  compact: string;
  hall: string;
  /** Sohncke group: no inversion or mirror, so possible for chiral molecules (proteins). */
  sohncke: boolean;
  /** The reference setting of its number. */
  reference: boolean;
}

export interface SpaceGroupMatch {
  setting: SpaceGroupSetting;
  /** Whether the name given is a standard spaced Hermann-Mauguin form (else compact, Hall, ...). */
  standard: boolean;
}

let byName: Map<string, SpaceGroupMatch> | undefined;

function index(): Map<string, SpaceGroupMatch> {
  if (byName) return byName;
  byName = new Map();
  const add = (name: string, m: SpaceGroupMatch) => {
    const prev = byName!.get(name);
    // Keep the first (reference) setting; a standard spelling beats an alternative one.
    if (!prev || (!prev.standard && m.standard)) byName!.set(name, m);
  };
  const rows = SPACE_GROUP_ROWS.split('\n').map((line) => {
    const [num, ccp4, hm, short, compact, hall, flags] = line.split('|') as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const setting: SpaceGroupSetting = {
      number: Number(num),
      ccp4: Number(ccp4),
      hm,
      compact,
      hall,
      sohncke: flags.includes('S'),
      reference: flags.includes('R'),
    };
    return { setting, short };
  });
  for (const { setting, short } of rows) {
    add(setting.hm, { setting, standard: true });
    if (short) add(short, { setting, standard: true });
    const noSuffix = setting.hm.replace(/:[12HR]$/, '');
    if (setting.hm.endsWith(':H')) {
      add(noSuffix, { setting, standard: true }); // 'R 3' means the hexagonal setting in CCP4
      add(noSuffix.replace(/^R/, 'H'), { setting, standard: true }); // CCP4's 'H 3'
    } else if (noSuffix !== setting.hm) add(noSuffix, { setting, standard: true });
  }
  for (const { setting } of rows) {
    add(setting.compact, { setting, standard: false });
    add(setting.hall, { setting, standard: false });
    add(String(setting.number), { setting, standard: false });
  }
  return byName;
}

/**
 * Looks a space group name up: standard spaced Hermann-Mauguin symbols (`P 21 21 21`, `P 1 21 1`,
 * `P 21`, `R 3:H`, `H 3`) and, as non-standard, compact symbols (`P212121`), Hall symbols and numbers.
 */
export function lookupSpaceGroup(name: string): SpaceGroupMatch | undefined {
  const t = name.trim().replace(/\s+/g, ' ');
  const idx = index();
  const exact = idx.get(t);
  if (exact) return exact;
  const compact = idx.get(t.replace(/ /g, ''));
  if (compact) return { setting: compact.setting, standard: false };
  const upper = idx.get(t.charAt(0).toUpperCase() + t.slice(1));
  return upper ? { setting: upper.setting, standard: false } : undefined;
}

/** Every setting in the table (559 entries, 230 space groups). */
export function allSpaceGroups(): SpaceGroupSetting[] {
  const seen = new Set<SpaceGroupSetting>();
  for (const m of index().values()) seen.add(m.setting);
  return [...seen];
}
