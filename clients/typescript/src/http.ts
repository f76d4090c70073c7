/** Requests to the service over the platform's `fetch`, and error answers turned into ProblemErrors. */
import { ProblemError } from "./errors.js";

export type FetchFunction = typeof fetch;

export interface ConnectionOptions {
  /** The service, e.g. `http://localhost:8080` (a path prefix is kept). Default: `http://localhost:8080`. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>` on every call (and the WebSocket handshake, or its ticket). */
  apiKey?: string;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** Another `fetch` (a test double, a proxy agent); default: the global one. */
  fetch?: FetchFunction;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestSpec {
  method?: string;
  query?: Query;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class Http {
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: FetchFunction;

  constructor(options: ConnectionOptions = {}) {
    this.baseUrl = (options.baseUrl ?? "http://localhost:8080").replace(/\/+$/, "");
    this.headers = { ...(options.headers ?? {}) };
    if (options.apiKey) this.headers["Authorization"] = `Bearer ${options.apiKey}`;
    const fetchFn = options.fetch ?? globalThis.fetch;
    if (typeof fetchFn !== "function") throw new TypeError("No fetch: pass one as the fetch option");
    this.fetchFn = fetchFn;
  }

  /** The headers every call carries (the WebSocket handshake of a Node client sends them too). */
  get defaultHeaders(): Record<string, string> {
    return { ...this.headers };
  }

  url(path: string, query?: Query): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async send(path: string, spec: RequestSpec = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json", ...this.headers, ...(spec.headers ?? {}) };
    let body = spec.body;
    if (spec.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(spec.json);
    }
    return this.fetchFn(this.url(path, spec.query), {
      method: spec.method ?? "GET", headers, body, signal: spec.signal,
    });
  }

  /** The answer's JSON when its status is one of `ok` (undefined for an empty body); a ProblemError otherwise. */
  async json<T>(path: string, spec: RequestSpec = {}, ok: readonly number[] = [200]): Promise<T> {
    const response = await this.send(path, spec);
    if (!ok.includes(response.status)) throw await problemFrom(response);
    return (await readJson(response)) as T;
  }
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

/** The ProblemError for a non-2xx answer, problem+json or not. */
export async function problemFrom(response: Response): Promise<ProblemError> {
  const retryAfterHeader = response.headers.get("Retry-After");
  const retryAfter = retryAfterHeader !== null && retryAfterHeader.trim() !== "" && !Number.isNaN(Number(retryAfterHeader))
    ? Number(retryAfterHeader) : undefined;
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const problem = body as Record<string, unknown>;
    return new ProblemError({
      ...problem,
      status: response.status,
      title: typeof problem.title === "string" ? problem.title : response.statusText || undefined,
    } as never, retryAfter);
  }
  return new ProblemError({ status: response.status, title: response.statusText || undefined,
    detail: text.trim().slice(0, 500) || undefined }, retryAfter);
}

/** `http://host:port/prefix` -> `ws://host:port/prefix/ws`. */
export function webSocketUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = url.pathname.replace(/\/+$/, "") + "/ws";
  url.search = "";
  url.hash = "";
  return url.toString();
}

export function encode(segment: string): string {
  return encodeURIComponent(segment);
}
