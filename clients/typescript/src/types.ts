/**
 * The service's JSON as it comes (snake_case, as every other Jobline client and the README show it). Fields the
 * service may add later are allowed by the index signatures.
 */

export type JobStatus = "pending" | "running" | "completed" | "failed" | "cancelled";
export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export function isTerminal(status: string | undefined | null): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}

/** The per-job policy of a submit (`options`); every field optional, a type's defaults otherwise. */
export interface JobOptions {
  max_attempts?: number;
  backoff_ms?: number;
  backoff_multiplier?: number;
  backoff_max_ms?: number;
  timeout_ms?: number | null;
  stage_timeout_ms?: number | null;
  heartbeat_timeout_ms?: number;
  max_restarts?: number;
  priority?: number;
  [option: string]: unknown;
}

export interface JobFile {
  name: string;
  size?: number;
  content_type?: string;
  url: string;
  [field: string]: unknown;
}

export interface JobStage {
  number: number;
  name: string;
  started_at?: string | null;
  completed_at?: string | null;
  [field: string]: unknown;
}

export interface AttemptError {
  attempt: number;
  stage?: number | string | null;
  error: string;
  at?: string;
}

/** `GET /api/jobs/{id}`. */
export interface Job {
  job_id: string;
  type: string;
  /** The declared type's version the job was submitted with (and keeps); null for a built-in type. */
  type_version?: number | null;
  owner?: string;
  status: JobStatus;
  /** Percent (0 to 100) of the whole job. */
  progress?: number | null;
  progress_message?: string | null;
  stage?: string | null;
  stage_number?: number | null;
  stages_total?: number | null;
  stages?: JobStage[];
  attempt?: number;
  max_attempts?: number;
  error?: string | null;
  errors?: AttemptError[];
  next_attempt_at?: string | null;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  updated_at?: string;
  elapsed_seconds?: number | null;
  estimated_seconds_remaining?: number | null;
  input?: Record<string, unknown>;
  result?: unknown;
  files?: JobFile[];
  artifacts?: JobFile[];
  [field: string]: unknown;
}

/** `POST /api/jobs` (202, or 200 for a repeated idempotency key). */
export interface SubmittedJob {
  job_id: string;
  status: JobStatus;
  message?: string;
  [field: string]: unknown;
}

export interface JobFilters {
  status?: JobStatus;
  type?: string;
  owner?: string;
  /** 1 to 1000, default 50. */
  limit?: number;
  offset?: number;
  /** The cursor: `next_after` of the page before. */
  after?: string;
}

/** `GET /api/jobs`. `count` is how many jobs match in all; `next_after` is null on the last page. */
export interface JobPage {
  jobs: Job[];
  count: number;
  limit: number;
  offset?: number;
  next_after: string | null;
  [field: string]: unknown;
}

/** `GET /api/jobs/{id}/result` of a completed job. */
export interface JobResult {
  job_id: string;
  status: "completed";
  result: unknown;
  artifacts?: JobFile[];
  [field: string]: unknown;
}

export interface JobEvent {
  event_id: string;
  job_id: string;
  type: string;
  sequence: number;
  attempt: number;
  timestamp: string;
  data: Record<string, unknown>;
  [field: string]: unknown;
}

/** `GET /api/jobs/{id}/events`. */
export interface EventPage {
  job_id: string;
  count: number;
  events: JobEvent[];
  next_after: number | null;
  [field: string]: unknown;
}

/** The body of `PUT /api/job-types/{name}` (docs/worker-protocol.md, section 1). */
export interface JobTypeDeclaration {
  stages: string[];
  description?: string;
  input_schema?: Record<string, unknown>;
  options?: JobOptions;
  dedup_key?: string;
  concurrency_limit?: number;
  dynamic_stages?: boolean;
}

export interface JobTypeInfo extends Partial<JobTypeDeclaration> {
  name: string;
  version?: number;
  kind?: string;
  [field: string]: unknown;
}

/** WebSocket `job_progress`: a progress report or stage boundary. */
export interface JobProgressMessage {
  type: "job_progress";
  job_id: string;
  progress: number | null;
  message: string | null;
  stage: string | null;
  seq: number;
}

/** WebSocket `job_status`: every status change; a deleted job comes as `{job_id, status: "deleted"}`. */
export interface JobStatusMessage {
  type: "job_status";
  job_id: string;
  status: Job | { job_id: string; status: "deleted" };
  seq: number;
}

export type JobUpdate = JobProgressMessage | JobStatusMessage;
