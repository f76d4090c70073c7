/** The errors the package throws: problems the server answered, and the ends of a worker's attempt. */

const PROBLEM_FIELDS = new Set(["type", "title", "status", "detail", "instance", "reason"]);

/** Base class of every error this package throws on its own. */
export class JoblineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The members of an RFC 9457 problem (`application/problem+json`) as the service sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Jobline's own member on a worker call's 409: `superseded`, `cancelled`, `timed_out`, `finished`. */
  reason?: string;
  [member: string]: unknown;
}

/**
 * The server answered an error: an RFC 9457 problem, or another non-2xx answer (then `title` is the status text
 * and `detail` the start of the body). Members other than the standard ones (`errors`, `job_id`, `job_status`...)
 * are in `extra`.
 */
export class ProblemError extends JoblineError {
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly type: string;
  readonly instance?: string;
  readonly reason?: string;
  readonly extra: Record<string, unknown>;
  /** Seconds, from a `Retry-After` header (429, 503). */
  readonly retryAfter?: number;

  constructor(problem: Problem, retryAfter?: number) {
    super(summary(problem));
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    // RFC 9457, 3.1.1: an absent type is "about:blank" (the status code says it all).
    this.type = problem.type ?? "about:blank";
    this.instance = problem.instance;
    this.reason = problem.reason;
    this.retryAfter = retryAfter;
    this.extra = Object.fromEntries(Object.entries(problem).filter(([key]) => !PROBLEM_FIELDS.has(key)));
  }

  /** The problem as it came, standard members and extensions together. */
  toJSON(): Problem {
    return {
      ...this.extra, type: this.type, title: this.title, status: this.status, detail: this.detail,
      instance: this.instance, reason: this.reason,
    };
  }
}

function summary(problem: Problem): string {
  let text = String(problem.status);
  if (problem.title) text += ` ${problem.title}`;
  if (problem.reason) text += ` (${problem.reason})`;
  if (problem.detail) text += `: ${problem.detail}`;
  return text;
}

/** `result()` of a job still pending or running (the server answered 202). */
export class JobNotFinishedError extends JoblineError {
  constructor(readonly jobId: string, readonly status: string | undefined) {
    super(`Job ${jobId} is ${status ?? "not finished"}; it has no result yet`);
  }
}

/** A follow could not (re)connect for longer than its `reconnectTimeoutMs`. */
export class ConnectionLostError extends JoblineError {}

/** Throw from a stage to fail the job for good: the worker reports it as not retryable. */
export class FatalError extends JoblineError {}

/**
 * The attempt running a stage is over for this worker; nothing more is sent for it. `reason`: a 409 reason of the
 * server (`superseded`, `timed_out`, `finished`, `cancelled`), `released` (the worker is shutting down),
 * `not_found` (the job is gone), or `completed`/`failed`/`done` once the worker reported the outcome.
 */
export class AttemptStoppedError extends JoblineError {
  constructor(readonly reason: string, readonly detail?: string) {
    super(`attempt stopped: ${reason}${detail ? ` (${detail})` : ""}`);
  }
}

/** The job was cancelled while its stage ran: seen at a heartbeat (`cancel_requested`) or a 409 `cancelled`. */
export class JobCancelledError extends AttemptStoppedError {
  constructor(detail?: string) {
    super("cancelled", detail);
  }
}
