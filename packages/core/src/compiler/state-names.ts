/**
 * Deterministic, readable state names within Step Functions' 80-character limit.
 *
 * A stage's states are named `<stage>.<part>` (`Build.gate`, `Build.Compile`, `Build.run2`).
 * A name that is too long, or that two states would share (e.g. an action called `gate`), is
 * shortened and given a stable hash suffix: `<stage…>.<part…>~1a2b3c4d`.
 *
 * @example
 * ```ts
 * fnv1a32('Build'); // '95967543'
 * ```
 */

/** Step Functions' maximum state-name length. */
export const MAX_STATE_NAME_LENGTH = 80;

/** FNV-1a (32 bit) of the UTF-16 code units of `text`, as 8 lowercase hex digits. Pure and stable. */
export function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Length in Unicode code points (what Step Functions counts). */
function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * The hashed form of `<stage>.<part>`: both halves shortened so the whole, with `~<hash>`,
 * fits in 80 characters. `identity` feeds the hash, so equal identities give equal names.
 */
export function hashedStateName(stage: string, part: string, identity: string): string {
  const suffix = `~${fnv1a32(identity)}`;
  const budget = MAX_STATE_NAME_LENGTH - suffix.length - 1; // 1 for the dot
  const s = codePoints(stage);
  const p = codePoints(part);
  let pLen = p.length;
  let sLen = s.length;
  if (sLen + pLen > budget) {
    const half = Math.floor(budget / 2);
    if (sLen <= half) pLen = budget - sLen;
    else if (pLen <= half) sLen = budget - pLen;
    else {
      sLen = half;
      pLen = budget - half;
    }
  }
  return `${s.slice(0, sLen).join('')}.${p.slice(0, pLen).join('')}${suffix}`;
}

/** One state to be named: the stage it belongs to, the readable part, and a unique identity. */
export interface StateNameRequest {
  stage: string;
  part: string;
  /** Unique among all requests; hashed into the suffix when the readable name cannot be used. */
  identity: string;
  /** Structural states (gate, leave, …) keep their readable name when an action collides with them. */
  structural: boolean;
}

/**
 * Names every requested state. Readable `<stage>.<part>` names are kept when they are unique
 * and short enough; otherwise the non-structural claimants of a shared name (and every
 * over-long name) get the hashed form. Returns names in request order.
 */
export function allocateStateNames(
  requests: readonly StateNameRequest[],
  reserved: readonly string[],
): string[] {
  const readable = requests.map((r) => `${r.stage}.${r.part}`);
  const claims = new Map<string, number>();
  for (const name of [...reserved, ...readable]) claims.set(name, (claims.get(name) ?? 0) + 1);
  const names = requests.map((r, i) => {
    const name = readable[i] as string;
    const tooLong = codePoints(name).length > MAX_STATE_NAME_LENGTH;
    const shared = (claims.get(name) ?? 0) > 1 && !r.structural;
    return tooLong || shared ? hashedStateName(r.stage, r.part, r.identity) : name;
  });
  return names;
}
