import type { JobFile, JobOptions } from "../types.js";

/** What a poll hands a worker (docs/worker-protocol.md, section 2). */
export interface Task {
  job_id: string;
  type: string;
  type_version?: number;
  /** The fencing token: every call about the job names it. */
  attempt: number;
  input: Record<string, unknown> | null;
  stages: string[];
  /** 1-based: the stage this attempt runs first (those before completed in an earlier attempt). */
  first_stage: number;
  /** The last completed stage's checkpoint, null when none. */
  checkpoint: unknown;
  files?: JobFile[];
  options?: JobOptions;
  heartbeat_interval_ms?: number;
  lease_expires_at?: string;
  /** The job's W3C trace context when the service traces, else null. */
  traceparent?: string | null;
  [field: string]: unknown;
}
