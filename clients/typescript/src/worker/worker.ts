/**
 * `Worker`: declares its job types, long-polls for tasks while it has a free slot, runs each task's stages, and on
 * `stop()` (or SIGTERM/SIGINT) stops polling, releases the jobs it holds and waits for their stages to end.
 */
import { hostname } from "node:os";
import { AttemptStoppedError } from "../errors.js";
import type { ConnectionOptions } from "../http.js";
import type { JobTypeInfo } from "../types.js";
import { WorkerApi } from "./api.js";
import { Attempt, type Logger } from "./attempt.js";
import { declarationOf, type JobTypeDefinition } from "./job-type.js";
import { runAttempt } from "./runner.js";

export const MAX_POLL_WAIT_MS = 50_000;

export interface WorkerOptions extends ConnectionOptions {
  /** Unique per process; default `<hostname>/<pid>`. */
  workerId?: string;
  /** Jobs run at once (default 1). */
  concurrency?: number;
  /** How long one poll waits for a job (default and maximum 50 000 ms). */
  pollWaitMs?: number;
  /** Stop on SIGTERM and SIGINT (default true). */
  handleSignals?: boolean;
  /** How long `run` waits after releasing for the stages to end (default 10 000 ms). */
  shutdownGraceMs?: number;
  /** Default: `console`. */
  logger?: Logger;
}

export class Worker {
  readonly workerId: string;
  readonly declared = new Map<string, JobTypeInfo>();
  private readonly api: WorkerApi;
  private readonly types = new Map<string, JobTypeDefinition<any>>();
  private readonly running = new Map<Attempt, Promise<void>>();
  private readonly concurrency: number;
  private readonly pollWaitMs: number;
  private readonly log: Logger;
  private readonly pollController = new AbortController();
  private stopReason = "worker shutting down";
  private stopping = false;
  private started = false;
  private slotFreed: (() => void) | undefined;
  private readyResolve!: () => void;
  /** Resolves once the types are declared and the worker polls. */
  readonly ready: Promise<void> = new Promise((resolve) => (this.readyResolve = resolve));

  constructor(private readonly options: WorkerOptions = {}) {
    this.api = new WorkerApi(options);
    this.workerId = (options.workerId ?? `${hostname()}/${process.pid}`).slice(0, 128);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.pollWaitMs = Math.min(options.pollWaitMs ?? MAX_POLL_WAIT_MS, MAX_POLL_WAIT_MS);
    this.log = options.logger ?? console;
  }

  /** Registers a job type; its stages run in the order given. */
  jobType<Input = Record<string, unknown>>(name: string, definition: JobTypeDefinition<Input>): this {
    if (this.started) throw new Error("Register job types before run()");
    this.types.set(name, definition);
    return this;
  }

  /** `{job_id, attempt}` of every job this worker holds now. */
  get activeJobs(): Array<{ job_id: string; attempt: number }> {
    return [...this.running.keys()].map((attempt) => ({ job_id: attempt.jobId, attempt: attempt.number }));
  }

  /** Declares the types and runs jobs until `stop()` or a signal; resolves once every held job was released. */
  async run(): Promise<void> {
    if (this.started) throw new Error("A worker runs once");
    if (this.types.size === 0) throw new Error("Register a job type first (worker.jobType(...))");
    this.started = true;
    const onSignal = (signal: NodeJS.Signals) => this.stop(`${signal} received`);
    if (this.options.handleSignals ?? true) {
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    }
    try {
      for (const [name, definition] of this.types) {
        if (definition.declare ?? true) this.declared.set(name, await this.api.declare(name, declarationOf(definition)));
      }
      this.log.info(`Worker ${this.workerId} runs ${[...this.types.keys()].join(", ")}, ${this.concurrency} at a time`);
      this.readyResolve();
      await this.poll();
      await this.releaseAll();
    } finally {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    }
    this.log.info(`Worker ${this.workerId} stopped (${this.stopReason})`);
  }

  /** Stops polling; `run` releases the jobs still running and resolves. Safe to call more than once. */
  stop(reason = "worker shutting down"): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopReason = reason;
    this.pollController.abort(new AttemptStoppedError("released", reason));
    this.slotFreed?.();
  }

  private async poll(): Promise<void> {
    const types = [...this.types.keys()].sort();
    let delay = 500;
    while (!this.stopping) {
      if (this.running.size >= this.concurrency) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      let task;
      try {
        task = await this.api.poll(this.workerId, types, this.pollWaitMs, this.pollController.signal);
        delay = 500;
      } catch (error) {
        if (this.stopping) break;
        this.log.warn(`Poll failed (${String(error)}); polling again in ${delay} ms`);
        await this.sleep(delay);
        delay = Math.min(30_000, delay * 2);
        continue;
      }
      if (task) this.start(new Attempt(this.api, task, this.log));
    }
  }

  private start(attempt: Attempt): void {
    if (this.stopping) {
      // Handed out as the worker stopped: back to the queue.
      this.running.set(attempt, Promise.resolve());
      return;
    }
    this.log.info(`${attempt}: took it (stage ${attempt.task.first_stage} of ${attempt.stages.length})`);
    const done = runAttempt(attempt, this.types.get(attempt.task.type), this.workerId, this.log)
      .finally(() => {
        this.running.delete(attempt);
        this.slotFreed?.();
      });
    this.running.set(attempt, done);
  }

  private async releaseAll(): Promise<void> {
    const held = [...this.running.entries()];
    await Promise.all(held.map(async ([attempt]) => {
      try {
        await attempt.release(this.stopReason);
        this.log.info(`${attempt}: released`);
      } catch (error) {
        if (!(error instanceof AttemptStoppedError)) this.log.warn(`${attempt}: could not release it: ${String(error)}`);
      }
    }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.shutdownGraceMs ?? 10_000)));
    await Promise.race([Promise.allSettled(held.map(([, done]) => done)), grace]);
    clearTimeout(timer);
    this.running.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.pollController.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
