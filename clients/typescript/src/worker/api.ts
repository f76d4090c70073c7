/**
 * The HTTP calls of the worker protocol (docs/worker-protocol.md), one method each. Transient failures (no
 * connection, 429, 502-504) are retried a few times with backoff; every other error answer is thrown as a
 * ProblemError for the caller to judge (409 and 404 end the attempt). An attempt's calls carry its task's
 * `traceparent` header when the task had one, so that they join the job's trace.
 */
import { ProblemError } from "../errors.js";
import { encode, Http, problemFrom, readJson, type ConnectionOptions } from "../http.js";
import type { JobTypeDeclaration, JobTypeInfo } from "../types.js";
import type { Task } from "./task.js";

const TRANSIENT = new Set([429, 502, 503, 504]);

export class WorkerApi {
  readonly http: Http;

  constructor(options: ConnectionOptions, private readonly retries = 4) {
    this.http = new Http(options);
  }

  declare(name: string, body: JobTypeDeclaration): Promise<JobTypeInfo> {
    return this.retrying(() => this.http.json(`/api/job-types/${encode(name)}`, { method: "PUT", json: body }, [200, 201]));
  }

  /** One long poll: the task handed to this worker, or undefined when none came within `waitMs`. */
  async poll(workerId: string, types: string[], waitMs: number, signal?: AbortSignal): Promise<Task | undefined> {
    const response = await this.http.send("/api/workers/poll", {
      method: "POST", json: { worker_id: workerId, types, wait_ms: waitMs }, signal,
    });
    if (response.status === 204) return undefined;
    if (response.status !== 200) throw await problemFrom(response);
    return (await readJson(response)) as Task;
  }

  post<T = Record<string, unknown>>(task: Task, suffix: string, body: unknown): Promise<T> {
    return this.retrying(async () => (await this.http.json<T>(attemptPath(task) + suffix,
      { method: "POST", json: body, headers: traceHeaders(task) })) ?? ({} as T));
  }

  upload(task: Task, name: string, content: Blob, contentType: string): Promise<Record<string, unknown>> {
    return this.retrying(() => this.http.json(`${attemptPath(task)}/artifacts/${encode(name)}`, {
      method: "PUT", body: content, headers: { "Content-Type": contentType, ...traceHeaders(task) },
    }, [200, 201]));
  }

  /** An input file of the task (its `url`), as the raw Response. */
  async download(task: Task, url: string): Promise<Response> {
    return this.retrying(async () => {
      const response = await this.http.send(url.startsWith("/") ? url : new URL(url).pathname,
        { headers: { Accept: "*/*", ...traceHeaders(task) } });
      if (response.status !== 200) throw await problemFrom(response);
      return response;
    });
  }

  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    let delay = 200;
    for (let triesLeft = this.retries; ; triesLeft--) {
      try {
        return await call();
      } catch (error) {
        const transient = error instanceof ProblemError ? TRANSIENT.has(error.status) : error instanceof TypeError;
        if (!transient || triesLeft === 0) throw error;
        if (error instanceof ProblemError && error.retryAfter !== undefined) delay = Math.min(5000, error.retryAfter * 1000);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(5000, delay * 2);
    }
  }
}

function attemptPath(task: Task): string {
  return `/api/jobs/${encode(task.job_id)}/attempts/${task.attempt}`;
}

function traceHeaders(task: Task): Record<string, string> {
  return task.traceparent ? { traceparent: task.traceparent } : {};
}
