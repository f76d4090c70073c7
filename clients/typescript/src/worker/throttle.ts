/**
 * When the next heartbeat of an attempt is due: pure timing logic, testable without timers or a server.
 *
 * A heartbeat is due `intervalMs` after the last call of the attempt (any call renews the lease). Progress makes it
 * come sooner, but at most one progress heartbeat every `minGapMs`, unless the fraction moved by at least `jump`
 * since the last one sent (then at once).
 */
export interface ProgressFields {
  progress?: number;
  message?: string;
}

export class ProgressThrottle {
  private lastCall: number;
  private lastProgressAt: number | undefined;
  private lastFraction = 0;
  private pending: ProgressFields | undefined;

  constructor(readonly intervalMs: number, now: number, readonly minGapMs = 1000, readonly jump = 0.1) {
    this.lastCall = now;
  }

  /** Progress the stage reported; replaces any not sent yet. */
  offer(fraction: number | undefined, message: string | undefined): void {
    const pending: ProgressFields = {};
    if (fraction !== undefined) pending.progress = fraction;
    if (message !== undefined) pending.message = message;
    this.pending = pending;
  }

  dueAt(): number {
    const due = this.lastCall + this.intervalMs;
    if (this.pending === undefined) return due;
    const fraction = this.pending.progress;
    if (fraction !== undefined && Math.abs(fraction - this.lastFraction) >= this.jump - 1e-9) return -Infinity;
    if (this.lastProgressAt === undefined) return -Infinity;
    return Math.min(due, this.lastProgressAt + this.minGapMs);
  }

  /** The progress fields of the heartbeat sent now (empty when none), marking them sent. */
  take(now: number): ProgressFields {
    const pending = this.pending;
    this.pending = undefined;
    this.lastCall = now;
    if (pending && Object.keys(pending).length > 0) {
      this.lastProgressAt = now;
      this.lastFraction = pending.progress ?? this.lastFraction;
    }
    return pending ?? {};
  }

  /** Another call of the attempt renewed the lease: the next plain heartbeat can wait a full interval. */
  renewed(now: number): void {
    this.lastCall = now;
  }

  /** A new stage starts: the progress of the one before is not worth sending, and fractions start again. */
  nextStage(): void {
    this.pending = undefined;
    this.lastFraction = 0;
  }
}
