// The canonical choices of the last run, kept with --cache. A choice depends on nothing but its group's members (their
// results, named by cache key, and their paths, whose file names its reasons give) and the group's copy edges (exact
// or near-duplicate: chooseCanonical looks at no other). A group whose members and copy edges are the last run's is
// given the last run's choice, without its rules run again or its members' 3-gram sketches read.
import type { CleanDoc } from '../types.js';
import type { DocFingerprint } from '../fingerprint/index.js';
import type { ClusterEdge } from '../cluster/index.js';
import { ascending, chooseCanonical, type CanonicalChoice } from './index.js';
import { findKey } from '../cluster/memo.js';

type Edge = Pick<ClusterEdge, 'a' | 'b' | 'relation'>;
/** A choice as kept: the canonical member's position among the members (ascending), and the reasons. */
type Held = [position: number, why: string[]];
/** Chooses a group's canonical member (members: indices into docs and fps). */
export type Chooser = (members: number[], edges: Edge[]) => CanonicalChoice;

/**
 * What a group's choice is a function of, as a string: each member's cache key and path (ascending by index, which
 * is path order), then the copy edges between them by position. NUL separates the parts: neither a path nor a cache
 * key holds one. Null when a member has no cache key (standard input): its choice is neither taken nor kept.
 */
export function choiceKey(sorted: readonly number[], edges: readonly Edge[], ids: readonly (string | undefined)[], docs: readonly Pick<CleanDoc, 'path'>[]): string | null {
  let key = '';
  for (const m of sorted) {
    const id = ids[m];
    if (id === undefined) return null;
    key += `${id}\0${docs[m].path}\0`;
  }
  for (const e of edges) {
    if (e.relation !== 'exact' && e.relation !== 'near-duplicate') continue;
    const a = findKey(sorted, e.a);
    const b = findKey(sorted, e.b);
    if (a >= 0 && b >= 0) key += `${a} ${b},`;
  }
  return key;
}

/** A kept choice as read from the state, or null when it is not one. */
function heldOf(entry: unknown): [string, Held] | null {
  if (!Array.isArray(entry) || entry.length !== 3) return null;
  const [key, position, why] = entry as unknown[];
  if (typeof key !== 'string' || !Number.isInteger(position) || (position as number) < 0) return null;
  if (!Array.isArray(why) || !why.every((w) => typeof w === 'string')) return null;
  return [key, [position as number, why as string[]]];
}

export class ChoiceMemo {
  /** This run's choices of groups of more than one member, by key, in the order of the groups: what the next run is given. */
  private readonly now = new Map<string, Held>();
  /** Choices this run made (not taken from the last run), and those it took from the last run. */
  made = 0;
  reused = 0;

  private constructor(private readonly before: ReadonlyMap<string, Held>) {}

  /** The choices stored in `bytes` (none when there are none, or when they do not parse: then every choice is made). */
  static decode(bytes: Uint8Array | undefined): ChoiceMemo {
    const before = new Map<string, Held>();
    if (!bytes || bytes.byteLength === 0) return new ChoiceMemo(before);
    let entries: unknown;
    try {
      entries = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch {
      return new ChoiceMemo(before);
    }
    if (!Array.isArray(entries)) return new ChoiceMemo(before);
    for (const entry of entries) {
      const held = heldOf(entry);
      if (!held) return new ChoiceMemo(new Map());
      before.set(held[0], held[1]);
    }
    return new ChoiceMemo(before);
  }

  /**
   * chooseCanonical over documents `docs` and `fps` whose cache keys are `ids`: a group of the last run gets the
   * choice it got then, any other is chosen; either way it is noted for the next run (but a group of one, whose
   * choice costs nothing, and a group with a member without a key).
   */
  chooser(ids: readonly (string | undefined)[], docs: CleanDoc[], fps: DocFingerprint[]): Chooser {
    return (members, edges) => {
      if (members.length === 1) return chooseCanonical(members, docs, fps, edges);
      const sorted = ascending(members);
      const key = choiceKey(sorted, edges, ids, docs);
      if (key === null) return chooseCanonical(members, docs, fps, edges);
      const held = this.before.get(key);
      // (a position past the members is a state that does not add up: the choice is made)
      if (held && held[0] < sorted.length) {
        this.now.set(key, held);
        this.reused++;
        return { index: sorted[held[0]], why: held[1] };
      }
      const choice = chooseCanonical(members, docs, fps, edges);
      this.made++;
      this.now.set(key, [findKey(sorted, choice.index), choice.why]);
      return choice;
    };
  }

  /**
   * Whether encode() would give other bytes than the choices decoded: this run made a choice, or did not ask for every
   * one it was given. A run whose groups are as they were asks for the same ones, and need not encode them again.
   */
  changed(): boolean {
    return this.made > 0 || this.now.size !== this.before.size;
  }

  /** This run's choices as bytes: JSON, an array of [key, position, reasons]. */
  encode(): Uint8Array {
    return Buffer.from(JSON.stringify([...this.now].map(([key, [position, why]]) => [key, position, why])));
  }
}
