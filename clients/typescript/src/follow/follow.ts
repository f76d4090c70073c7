/**
 * Following one job over the WebSocket at `/ws`, as an async iterator of the server's `job_progress` and
 * `job_status` messages in sequence order, ending after the job's final status (unless `untilFinished: false`).
 *
 * A dropped connection is reopened with backoff and resumed after the last sequence seen, so no update is lost or
 * repeated; `reconnects` counts how often. When no connection could be made for `reconnectTimeoutMs`, the iterator
 * throws ConnectionLostError. An unknown job (or another owner's) throws a ProblemError with status 404.
 */
import { ConnectionLostError, JoblineError } from "../errors.js";
import type { JobUpdate } from "../types.js";
import { FollowState, SubscriptionRefused } from "./state.js";
import { textOf, type WebSocketLike } from "./websocket.js";

export interface FollowOptions {
  /** Resume after this sequence number (`0` replays every progress update from the log first). */
  after?: number;
  /** End after the job's final status (default true); false follows a job through retries until closed. */
  untilFinished?: boolean;
  /** Give up after this long without a connection (default 60 000 ms). */
  reconnectTimeoutMs?: number;
  /** Closes the follow when aborted (the iterator then ends). */
  signal?: AbortSignal;
}

/** Opens a socket to `/ws` (with whatever authentication the client uses). */
export type SocketOpener = () => Promise<WebSocketLike>;

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5000;

interface Waiter {
  resolve(result: IteratorResult<JobUpdate>): void;
  reject(error: unknown): void;
}

export class Follow implements AsyncIterableIterator<JobUpdate> {
  private readonly state: FollowState;
  private readonly reconnectTimeoutMs: number;
  private readonly queue: JobUpdate[] = [];
  private readonly waiters: Waiter[] = [];
  private socket: WebSocketLike | undefined;
  private started = false;
  private ended = false;
  private failure: unknown;
  private connections = 0;
  private downSince: number | undefined;
  private delayMs = FIRST_DELAY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly open: SocketOpener, readonly jobId: string, options: FollowOptions = {}) {
    this.state = new FollowState(jobId, options.after, options.untilFinished ?? true);
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? 60_000;
    if (options.signal) {
      if (options.signal.aborted) this.close();
      else options.signal.addEventListener("abort", () => this.close(), { once: true });
    }
  }

  /** The sequence number of the last update handed on (what a resume sends as `after`). */
  get lastSeq(): number | undefined {
    return this.state.lastSeq;
  }

  /** How often a dropped connection was reopened. */
  get reconnects(): number {
    return Math.max(0, this.connections - 1);
  }

  /** The job's status as of the last `job_status` message. */
  get status(): string | undefined {
    return this.state.status;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<JobUpdate>> {
    if (!this.started && !this.ended) {
      this.started = true;
      this.connect();
    }
    const update = this.queue.shift();
    if (update !== undefined) return Promise.resolve({ value: update, done: false });
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Called by `for await` when the loop is left early (break, throw): closes the connection. */
  async return(): Promise<IteratorResult<JobUpdate>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** Closes the connection; the iterator ends after the updates already received. */
  close(): void {
    this.finish();
  }

  private connect(): void {
    if (this.ended) return;
    this.open().then((socket) => this.attach(socket), (error) => this.dropped(error));
  }

  private attach(socket: WebSocketLike): void {
    if (this.ended) {
      socket.close();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.connections += 1;
      socket.send(this.state.subscribeMessage());
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.received(socket, textOf(event.data));
    };
    socket.onerror = () => undefined; // a close event follows; it decides
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.dropped(new JoblineError(`WebSocket closed (${event?.code ?? "no code"})`));
    };
  }

  private received(socket: WebSocketLike, text: string): void {
    let update: JobUpdate | undefined;
    try {
      update = this.state.accept(text);
    } catch (error) {
      if (error instanceof SubscriptionRefused) {
        this.socket = undefined;
        socket.close();
        this.dropped(error);
      } else {
        this.fail(error);
      }
      return;
    }
    if (update === undefined) return;
    this.downSince = undefined;
    this.delayMs = FIRST_DELAY_MS;
    this.deliver(update);
    if (this.state.finished) this.finish();
  }

  private dropped(error: unknown): void {
    if (this.ended) return;
    const now = Date.now();
    this.downSince ??= now;
    if (now - this.downSince > this.reconnectTimeoutMs) {
      this.fail(new ConnectionLostError(`No WebSocket connection for ${this.reconnectTimeoutMs} ms: ${String(error)}`,
        { cause: error }));
      return;
    }
    const delay = this.delayMs;
    this.delayMs = Math.min(MAX_DELAY_MS, this.delayMs * 2);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private deliver(update: JobUpdate): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value: update, done: false });
    else this.queue.push(update);
  }

  private fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= 1) {
      try {
        socket.close(1000, "done");
      } catch {
        // closing a socket still connecting may throw in some implementations; it is dropped either way
      }
    }
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }
}
