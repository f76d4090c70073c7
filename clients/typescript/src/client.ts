/** `JoblineClient`: the REST API of README "Use it", and live follow over `/ws`. */
import { JobNotFinishedError, JoblineError } from "./errors.js";
import { Follow, type FollowOptions } from "./follow/follow.js";
import type { WebSocketConstructor, WebSocketLike } from "./follow/websocket.js";
import { encode, Http, problemFrom, readJson, webSocketUrl, type ConnectionOptions } from "./http.js";
import {
  isTerminal, type EventPage, type Job, type JobEvent, type JobFilters, type JobOptions, type JobPage, type JobResult,
  type JobTypeDeclaration, type JobTypeInfo, type JobUpdate, type SubmittedJob, type Notify,
  type CreatedWebhookSubscription, type DeliveryList, type WebhookSecret, type WebhookSubscriptionList,
  type WebhookSubscriptionRequest,
} from "./types.js";

export interface ClientOptions extends ConnectionOptions {
  /**
   * The WebSocket class for `follow`: default `globalThis.WebSocket` (browsers, Node 22+). In Node 20 pass
   * `WebSocket` of the `ws` package.
   */
  WebSocket?: WebSocketConstructor;
  /**
   * How a follow proves who it is when the client has an `apiKey`: `"header"` sends `Authorization` on the handshake
   * (the `ws` package can, a browser cannot); `"ticket"` first asks `POST /api/ws-tickets` for a one-time ticket and
   * opens `/ws?ticket=...`. Default: `"header"` when a `WebSocket` class was passed, else `"ticket"`.
   */
  webSocketAuth?: "header" | "ticket";
}

/** A file of a multipart submit: a `File` (named), or content with a name. */
export type FileInput = File | { name: string; content: Blob | Uint8Array | string; contentType?: string };

export interface SubmitOptions {
  /** The job's policy (`max_attempts`, `timeout_ms`, `priority`...), over the type's defaults. */
  options?: JobOptions;
  /** Files: the submit is then `multipart/form-data`, each file a part named `file`. */
  files?: FileInput[] | Record<string, Blob | Uint8Array | string>;
  /** `Idempotency-Key`: the same key within 24 h answers the job it made (200) and makes none. */
  idempotencyKey?: string;
  /**
   * The job's own webhook: a URL (told of the job's end), or `{url, events}` with events among `terminal`, `stage`
   * and `progress`. Deliveries are signed with the owner's secret (`webhookSecret()`; check them with
   * `verifyWebhook`).
   */
  notify?: string | Notify;
  signal?: AbortSignal;
}

export interface WaitOptions extends Omit<FollowOptions, "untilFinished"> {
  /** Called with every update, in order. */
  onUpdate?: (update: JobUpdate) => void;
  /** Rejects with a JoblineError after this long (the follow is closed). */
  timeoutMs?: number;
}

export class JoblineClient {
  readonly http: Http;
  private readonly webSocketClass: WebSocketConstructor | undefined;
  private readonly webSocketAuth: "header" | "ticket";
  private readonly hasKey: boolean;

  constructor(options: ClientOptions = {}) {
    this.http = new Http(options);
    this.webSocketClass = options.WebSocket;
    this.webSocketAuth = options.webSocketAuth ?? (options.WebSocket ? "header" : "ticket");
    this.hasKey = Boolean(options.apiKey || options.headers?.Authorization);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** `POST /api/jobs`: JSON, or multipart when `files` are given. Answers `{job_id, status: "pending", message}`. */
  async submit(type: string, input?: Record<string, unknown>, submit: SubmitOptions = {}): Promise<SubmittedJob> {
    const headers: Record<string, string> = {};
    if (submit.idempotencyKey !== undefined) headers["Idempotency-Key"] = submit.idempotencyKey;
    const notify = notifyBody(submit.notify);
    if (submit.files && Object.keys(submit.files).length > 0) {
      const form = new FormData();
      form.append("type", type);
      if (input !== undefined) form.append("input", JSON.stringify(input));
      if (submit.options !== undefined) form.append("options", JSON.stringify(submit.options));
      if (notify !== undefined) form.append("notify", JSON.stringify(notify));
      for (const [name, blob] of fileParts(submit.files)) form.append("file", blob, name);
      return this.http.json("/api/jobs", { method: "POST", body: form, headers, signal: submit.signal }, [200, 202]);
    }
    const body: Record<string, unknown> = { type };
    if (input !== undefined) body.input = input;
    if (submit.options !== undefined) body.options = submit.options;
    if (notify !== undefined) body.notify = notify;
    return this.http.json("/api/jobs", { method: "POST", json: body, headers, signal: submit.signal }, [200, 202]);
  }

  /** `GET /api/jobs/{id}`; a ProblemError with status 404 when unknown (or another owner's). */
  get(jobId: string, signal?: AbortSignal): Promise<Job> {
    return this.http.json(jobPath(jobId), { signal });
  }

  /** One page of `GET /api/jobs`, newest first. Page on with `after: page.next_after`. */
  list(filters: JobFilters = {}, signal?: AbortSignal): Promise<JobPage> {
    return this.http.json("/api/jobs", { query: { ...filters }, signal });
  }

  /** Every job matching `filters`, page after page by the `after` cursor. */
  async *listAll(filters: Omit<JobFilters, "after" | "offset"> = {}): AsyncGenerator<Job> {
    let after: string | undefined;
    do {
      const page = await this.list({ ...filters, after });
      yield* page.jobs;
      after = page.next_after ?? undefined;
    } while (after);
  }

  /** The result of a completed job; JobNotFinishedError while it is pending or running, a 409 ProblemError when it
   * failed or was cancelled (with `job_status` and `error` in `extra`). */
  async result(jobId: string, signal?: AbortSignal): Promise<JobResult> {
    const response = await this.http.send(`${jobPath(jobId)}/result`, { signal });
    if (response.status === 202) {
      const body = (await readJson(response)) as { status?: string } | undefined;
      throw new JobNotFinishedError(jobId, body?.status);
    }
    if (response.status !== 200) throw await problemFrom(response);
    return (await readJson(response)) as JobResult;
  }

  /** `POST .../cancel` (202). Decided asynchronously: a `get` right after may still show the old status. */
  cancel(jobId: string): Promise<Record<string, unknown>> {
    return this.http.json(`${jobPath(jobId)}/cancel`, { method: "POST" }, [200, 202]);
  }

  /** `POST .../retry` of a failed or cancelled job (202); it resumes after its last completed stage. */
  retry(jobId: string): Promise<Record<string, unknown>> {
    return this.http.json(`${jobPath(jobId)}/retry`, { method: "POST" }, [200, 202]);
  }

  /** `DELETE /api/jobs/{id}` (202): the job and its files go; an active job is cancelled first. */
  async delete(jobId: string): Promise<void> {
    await this.http.json(jobPath(jobId), { method: "DELETE" }, [200, 202, 204]);
  }

  /** A page of the job's event history: at most `limit` (1 to 1000) events with a sequence above `after`. */
  events(jobId: string, page: { after?: number; limit?: number } = {}, signal?: AbortSignal): Promise<EventPage> {
    return this.http.json(`${jobPath(jobId)}/events`, { query: page, signal });
  }

  /** Every event of the job from `after` on, page after page. */
  async *allEvents(jobId: string, options: { after?: number; limit?: number } = {}): AsyncGenerator<JobEvent> {
    let after: number | null | undefined = options.after;
    do {
      const page = await this.events(jobId, { after: after ?? undefined, limit: options.limit });
      yield* page.events;
      after = page.next_after;
    } while (after !== null && after !== undefined);
  }

  /** An uploaded file or artifact (`GET /api/jobs/{id}/artifacts/{name}`), as the raw Response: `.blob()`,
   * `.arrayBuffer()`, or its `body` stream. `range` is an HTTP Range such as `bytes=0-99` (answered 206). */
  async artifact(jobId: string, name: string, options: { range?: string; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: "*/*" };
    if (options.range) headers.Range = options.range;
    const response = await this.http.send(`${jobPath(jobId)}/artifacts/${encode(name)}`,
      { headers, signal: options.signal });
    if (response.status !== 200 && response.status !== 206) throw await problemFrom(response);
    return response;
  }

  /** The job's webhook deliveries, each with every try (`GET /api/jobs/{id}/deliveries`). */
  deliveries(jobId: string, signal?: AbortSignal): Promise<DeliveryList> {
    return this.http.json(`${jobPath(jobId)}/deliveries`, { signal });
  }

  /** The caller's webhook subscriptions (an admin's: everyone's). */
  webhooks(signal?: AbortSignal): Promise<WebhookSubscriptionList> {
    return this.http.json("/api/webhooks", { signal });
  }

  /**
   * `POST /api/webhooks`: tells `url` about the caller's jobs submitted from now on (of `job_types` only, when given)
   * for `events` (default `["terminal"]`). Answers the subscription with its `id` and the signing `secret`.
   */
  subscribeWebhook(subscription: WebhookSubscriptionRequest): Promise<CreatedWebhookSubscription> {
    return this.http.json("/api/webhooks", { method: "POST", json: subscription }, [201]);
  }

  /** `DELETE /api/webhooks/{id}` (204); a ProblemError with status 404 when there is no such subscription. */
  async deleteWebhook(id: string): Promise<void> {
    await this.http.json(`/api/webhooks/${encode(id)}`, { method: "DELETE" }, [200, 204]);
  }

  /** The `whsec_...` secret the caller's webhooks are signed with: what `verifyWebhook` checks them with. */
  webhookSecret(signal?: AbortSignal): Promise<WebhookSecret> {
    return this.http.json("/api/webhooks/secret", { signal });
  }

  /** `PUT /api/job-types/{name}` (201 the first time, 200 after). */
  declareType(name: string, declaration: JobTypeDeclaration): Promise<JobTypeInfo> {
    return this.http.json(`/api/job-types/${encode(name)}`, { method: "PUT", json: declaration }, [200, 201]);
  }

  jobTypes(): Promise<JobTypeInfo[]> {
    return this.http.json("/api/job-types");
  }

  jobType(name: string): Promise<JobTypeInfo> {
    return this.http.json(`/api/job-types/${encode(name)}`);
  }

  async deleteType(name: string): Promise<void> {
    await this.http.json(`/api/job-types/${encode(name)}`, { method: "DELETE" }, [200, 204]);
  }

  /** A one-time ticket for a browser's WebSocket or EventSource (`POST /api/ws-tickets`, good once within 30 s). */
  async webSocketTicket(): Promise<string> {
    const answer = await this.http.json<{ ticket: string }>("/api/ws-tickets", { method: "POST" }, [200, 201]);
    return answer.ticket;
  }

  /**
   * The job's live updates over `/ws`, in sequence order, until its final status; resumes after a dropped
   * connection from the last sequence seen. `for await (const update of client.follow(id)) ...`
   */
  follow(jobId: string, options: FollowOptions = {}): Follow {
    return new Follow(() => this.openSocket(), jobId, options);
  }

  /** Follows the job until it is completed, failed or cancelled and answers its final state. */
  async wait(jobId: string, options: WaitOptions = {}): Promise<Job> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    options.signal?.addEventListener("abort", stop, { once: true });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(stop, options.timeoutMs);
    const follow = this.follow(jobId, { ...options, signal: controller.signal });
    let last: Job | undefined;
    try {
      for await (const update of follow) {
        options.onUpdate?.(update);
        if (update.type === "job_status") last = update.status as Job;
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", stop);
    }
    if (last && (isTerminal(last.status) || (last.status as string) === "deleted")) return last;
    throw new JoblineError(`Job ${jobId} did not finish ${options.timeoutMs !== undefined
      ? `within ${options.timeoutMs} ms` : "before the wait was aborted"} (last status: ${last?.status ?? "unknown"})`);
  }

  private async openSocket(): Promise<WebSocketLike> {
    const WebSocketClass = this.webSocketClass ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketClass) {
      throw new JoblineError("No WebSocket class: in Node 20 pass `WebSocket` from the `ws` package as an option");
    }
    const url = new URL(webSocketUrl(this.baseUrl));
    if (this.hasKey && this.webSocketAuth === "ticket") {
      url.searchParams.set("ticket", await this.webSocketTicket());
      return new WebSocketClass(url.toString());
    }
    if (this.webSocketClass) return new WebSocketClass(url.toString(), [], { headers: this.http.defaultHeaders });
    return new WebSocketClass(url.toString());
  }
}

function jobPath(jobId: string): string {
  return `/api/jobs/${encode(jobId)}`;
}

function notifyBody(notify: SubmitOptions["notify"]): Notify | undefined {
  if (notify === undefined || notify === null) return undefined;
  if (typeof notify === "string") return { url: notify };
  if (typeof notify.url !== "string") {
    throw new TypeError("notify needs a url, like { url: \"https://example.com/hooks/jobs\", events: [\"terminal\"] }");
  }
  return { ...notify };
}

function fileParts(files: NonNullable<SubmitOptions["files"]>): Array<[string, Blob]> {
  const entries: Array<[string, Blob | Uint8Array | string, string | undefined]> = Array.isArray(files)
    ? files.map((file) => file instanceof Blob
      ? [(file as File).name ?? "file", file, undefined]
      : [file.name, file.content, file.contentType])
    : Object.entries(files).map(([name, content]) => [name, content, undefined]);
  return entries.map(([name, content, contentType]) => [name, content instanceof Blob && contentType === undefined
    ? content
    : new Blob([content as BlobPart], { type: contentType ?? (content instanceof Blob ? content.type : "application/octet-stream") })]);
}
