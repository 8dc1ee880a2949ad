import type { Principal } from './principal';

/**
 * API-key principals found in the database, reused for `ttlMs` (AUTH_CACHE_MS) so
 * that an authenticated request costs no lookup. Keyed by the key's SHA-256 hash
 * (never the key). Only found keys are kept: an unknown key is looked up every
 * time, so a flood of made-up keys cannot fill the cache.
 *
 * Revocation: `revokeApiKey` forgets the key in the process that runs it, at once;
 * other instances (and other workers) refuse it at the latest `ttlMs` after the
 * revocation committed, when their entry expires. A lookup that was already in
 * flight when a revocation ran here does not put its (stale) answer back.
 *
 * At most `maxEntries` keys are kept; the oldest entry goes first.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();
  /** Grows with every local revocation; a lookup started before one is not stored. */
  private generation = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string, now = Date.now()): Principal | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.expiresAt > now) return e.principal;
    this.entries.delete(hash);
    return undefined;
  }

  /** The current generation, taken before a lookup and handed to `set` with its result. */
  begin(): number {
    return this.generation;
  }

  /** Keeps a looked-up principal, unless caching is off or a revocation ran since `begin()`. */
  set(hash: string, principal: Principal, generation: number, now = Date.now()): void {
    if (this.ttlMs <= 0 || generation !== this.generation) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { principal, expiresAt: now + this.ttlMs });
  }

  /** Forgets every entry of a key (by its id) and voids lookups in flight. */
  forgetKey(keyId: string): void {
    this.generation++;
    for (const [hash, e] of this.entries) if (e.principal.keyId === keyId) this.entries.delete(hash);
  }
}
