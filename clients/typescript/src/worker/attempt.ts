/**
 * One attempt of a job held by this worker: its reports, one at a time (so a heartbeat always names the stage the
 * server has running), the heartbeat timer, and the fence. The first 409 (or 404) ends the attempt for this worker:
 * nothing more is sent, and the stage's AbortSignal is aborted with the reason.
 */
import { AttemptStoppedError, JobCancelledError, ProblemError } from "../errors.js";
import type { WorkerApi } from "./api.js";
import type { Task } from "./task.js";
import { ProgressThrottle } from "./throttle.js";

export interface Logger {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
}

export class Attempt {
  readonly jobId: string;
  readonly number: number;
  stages: string[];
  private readonly controller = new AbortController();
  private readonly throttle: ProgressThrottle;
  private current: number;
  private stopped: AttemptStoppedError | undefined;
  private calls: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly api: WorkerApi, readonly task: Task, private readonly log: Logger) {
    this.jobId = task.job_id;
    this.number = task.attempt;
    this.stages = [...task.stages];
    this.current = task.first_stage || 1;
    this.throttle = new ProgressThrottle(task.heartbeat_interval_ms ?? 5000, Date.now());
  }

  toString(): string {
    return `job ${this.jobId} attempt ${this.number}`;
  }

  /** Aborted, with the AttemptStoppedError as its reason, once the attempt is over for this worker. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stage(): number {
    return this.current;
  }

  get ended(): AttemptStoppedError | undefined {
    return this.stopped;
  }

  /** Throws the reason the attempt ended, if it did. */
  check(): void {
    if (this.stopped) throw this.stopped;
  }

  /** Ends the attempt for this worker; false when it had already ended. */
  end(reason: AttemptStoppedError): boolean {
    if (this.stopped) return false;
    this.stopped = reason;
    clearTimeout(this.timer);
    this.controller.abort(reason);
    return true;
  }

  startHeartbeats(): void {
    this.schedule();
  }

  offerProgress(fraction: number | undefined, message: string | undefined): void {
    this.check();
    this.throttle.offer(fraction, message);
    this.schedule();
  }

  async heartbeat(): Promise<void> {
    const answer = await this.call(() => this.api.post<{ cancel_requested?: boolean }>(this.task, "/heartbeat",
      { stage: this.current, ...this.throttle.take(Date.now()) }));
    if (answer.cancel_requested && this.end(new JobCancelledError("the heartbeat answered cancel_requested"))) {
      this.log.info(`${this}: cancelled`);
    }
  }

  async completeStage(stage: number, checkpoint: unknown): Promise<void> {
    await this.call(async () => {
      const answer = await this.api.post(this.task, `/stages/${stage}/complete`, { checkpoint });
      this.current = stage < this.stages.length ? stage + 1 : stage;
      this.throttle.nextStage();
      return answer;
    });
  }

  async complete(result: unknown): Promise<void> {
    await this.call(() => this.api.post(this.task, "/complete", { result }));
    this.end(new AttemptStoppedError("completed"));
  }

  async fail(error: string, retryable: boolean): Promise<Record<string, unknown>> {
    const answer = await this.call(() => this.api.post(this.task, "/fail", { error, retryable }));
    this.end(new AttemptStoppedError("failed"));
    return answer;
  }

  /** Gives the job back to the queue; the stage is told through its signal. */
  async release(reason: string): Promise<void> {
    try {
      await this.call(() => this.api.post(this.task, "/release", { reason }));
    } finally {
      this.end(new AttemptStoppedError("released", reason));
    }
  }

  upload(name: string, content: Blob, contentType: string): Promise<Record<string, unknown>> {
    return this.call(() => this.api.upload(this.task, name, content, contentType));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = Math.max(0, this.throttle.dueAt() - Date.now());
    this.timer = setTimeout(() => void this.beat(), wait);
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeat();
    } catch (error) {
      if (!(error instanceof AttemptStoppedError)) this.log.warn(`${this}: heartbeat failed: ${String(error)}`);
    } finally {
      this.schedule();
    }
  }

  /** Runs `send` after the calls before it; a 409 or 404 ends the attempt and throws the reason. */
  private call<T>(send: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.check();
      try {
        const answer = await send();
        this.throttle.renewed(Date.now());
        this.schedule();
        return answer;
      } catch (error) {
        const stopped = error instanceof ProblemError ? stoppedBy(error) : undefined;
        if (!stopped) throw error;
        if (this.end(stopped)) this.log.info(`${this}: the server ended it (${stopped.reason}): ${String(error)}`);
        throw this.stopped ?? stopped;
      }
    };
    const result = this.calls.then(run, run);
    this.calls = result.catch(() => undefined);
    return result;
  }
}

function stoppedBy(error: ProblemError): AttemptStoppedError | undefined {
  if (error.status === 409) {
    return error.reason === "cancelled" ? new JobCancelledError(error.detail)
      : new AttemptStoppedError(error.reason ?? "conflict", error.detail);
  }
  if (error.status === 404) return new AttemptStoppedError("not_found", error.detail);
  return undefined;
}
