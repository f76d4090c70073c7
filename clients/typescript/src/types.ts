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

/** Which events of a job a webhook is told of: its end, its stages' starts and ends, its progress reports. */
export type WebhookEventKind = "terminal" | "stage" | "progress";

/** A submit's `notify`: the job's own webhook. `events` defaults to `["terminal"]` (the job's end). */
export interface Notify {
  url: string;
  events?: WebhookEventKind[];
}

/** The body of `POST /api/webhooks`. */
export interface WebhookSubscriptionRequest {
  url: string;
  /** Default `["terminal"]`. */
  events?: WebhookEventKind[];
  /** Only jobs of these types; every type when absent or empty. */
  job_types?: string[];
}

/** One of `GET /api/webhooks`. */
export interface WebhookSubscription {
  id: string;
  owner: string;
  url: string;
  events: WebhookEventKind[];
  job_types: string[];
  created_at: string;
  created_by?: string;
  [field: string]: unknown;
}

/** `POST /api/webhooks` (201): the subscription, with the secret its deliveries are signed with. */
export interface CreatedWebhookSubscription extends WebhookSubscription {
  secret: string;
}

/** `GET /api/webhooks`. */
export interface WebhookSubscriptionList {
  webhooks: WebhookSubscription[];
  count: number;
  [field: string]: unknown;
}

/** `GET /api/webhooks/secret`: the `whsec_...` secret the owner's webhooks are signed with. */
export interface WebhookSecret {
  owner: string;
  secret: string;
  scheme: string;
  [field: string]: unknown;
}

/** One try of a delivery. */
export interface WebhookAttempt {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when none answered. */
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  delivered: boolean;
  [field: string]: unknown;
}

/** One event sent to one destination, with every try. */
export interface WebhookDelivery {
  /** Also the `webhook-id` header of every try. */
  id: string;
  /** The subscription it is for; null for the job's own `notify`. */
  subscription: string | null;
  url: string;
  event_type: WebhookEventType;
  seq: number;
  status: "pending" | "delivered" | "failed";
  created_at: string;
  next_attempt_at: string | null;
  attempts: WebhookAttempt[];
  [field: string]: unknown;
}

/** `GET /api/jobs/{id}/deliveries`. */
export interface DeliveryList {
  job_id: string;
  notify_url: string | null;
  deliveries: WebhookDelivery[];
  count: number;
  [field: string]: unknown;
}

export type WebhookEventType =
  | "job.completed" | "job.failed" | "job.cancelled" | "job.stage_started" | "job.stage_completed" | "job.progress";

/** The body of a delivery, as `verifyWebhook` answers it. */
export interface WebhookEvent {
  type: WebhookEventType;
  timestamp: string;
  data: {
    job_id: string;
    job_type: string;
    seq: number;
    attempt: number;
    /** completed, failed or cancelled, for the terminal events. */
    status?: JobStatus;
    result?: unknown;
    artifacts?: string[];
    error?: string | null;
    /** The stage's number (1-based). */
    stage?: number | null;
    stage_name?: string | null;
    progress?: number | null;
    message?: string | null;
    reason?: string | null;
    by?: string | null;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}
