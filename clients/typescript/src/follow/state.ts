/**
 * The WebSocket follow protocol apart from any I/O: what to send, which messages to hand on, when to stop.
 *
 * Resuming after a dropped connection is `{"subscribe": id, "after": lastSeq}`: the server replays what was missed
 * from the event log, then sends the current state. Messages at or below the last sequence seen are dropped, so
 * nothing is handed on twice.
 */
import { ProblemError } from "../errors.js";
import { isTerminal, type JobUpdate } from "../types.js";

/** The server refused a subscribe with an error that may pass (the service is starting, say): reconnect. */
export class SubscriptionRefused extends Error {}

export class FollowState {
  lastSeq: number | undefined;
  finished = false;
  status: string | undefined;

  constructor(readonly jobId: string, after: number | undefined, readonly untilFinished: boolean) {
    this.lastSeq = after;
  }

  subscribeMessage(): string {
    const message: Record<string, unknown> = { subscribe: this.jobId };
    if (this.lastSeq !== undefined) message.after = this.lastSeq;
    return JSON.stringify(message);
  }

  /** The message to hand on, or undefined for control messages and repeats. */
  accept(text: string): JobUpdate | undefined {
    const message = JSON.parse(text) as Record<string, unknown>;
    const kind = message.type;
    if (kind === "error") {
      const detail = typeof message.message === "string" ? message.message : "error";
      if (detail.startsWith("Unknown job")) throw new ProblemError({ status: 404, title: "Not Found", detail });
      throw new SubscriptionRefused(detail);
    }
    if ((kind !== "job_progress" && kind !== "job_status") || message.job_id !== this.jobId) return undefined;
    const seq = typeof message.seq === "number" ? message.seq : undefined;
    if (seq !== undefined && this.lastSeq !== undefined && seq <= this.lastSeq) return undefined;
    if (seq !== undefined) this.lastSeq = seq;
    const update = message as unknown as JobUpdate;
    if (update.type === "job_status") {
      this.status = update.status?.status;
      if (this.untilFinished && (isTerminal(this.status) || this.status === "deleted")) this.finished = true;
    }
    return update;
  }
}
