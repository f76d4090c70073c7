/**
 * React hooks over a JoblineClient: `useJob(jobId)` follows a job live; `useSubmitJob()` submits one and keeps its
 * id in the page's URL (or sessionStorage), so that a reload finds the job again and follows it on.
 */
import {
  createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode,
} from "react";
import type { JoblineClient, SubmitOptions } from "../client.js";
import { ProblemError } from "../errors.js";
import { isTerminal, type Job, type JobUpdate, type SubmittedJob } from "../types.js";

const JoblineContext = createContext<JoblineClient | null>(null);

/** Makes `client` the one the hooks below use when they are given none. */
export function JoblineProvider(props: { client: JoblineClient; children?: ReactNode }) {
  return createElement(JoblineContext.Provider, { value: props.client }, props.children);
}

export function useJoblineClient(client?: JoblineClient): JoblineClient {
  const provided = useContext(JoblineContext);
  const chosen = client ?? provided;
  if (!chosen) throw new Error("No JoblineClient: pass { client } or wrap the tree in <JoblineProvider client={...}>");
  return chosen;
}

export interface JobState {
  /** The job as of its last update (`GET /api/jobs/{id}`'s shape); undefined until the first arrives. */
  job: Job | undefined;
  status: Job["status"] | "deleted" | undefined;
  /** Percent (0 to 100) of the whole job. */
  progress: number | undefined;
  message: string | undefined;
  stage: string | undefined;
  /** True from the subscribe until the job's state first arrives. */
  isLoading: boolean;
  /** True once the job is completed, failed, cancelled or deleted. */
  isFinished: boolean;
  /** An unknown job (a ProblemError with status 404), or a connection lost for good. */
  error: Error | undefined;
}

const NO_JOB: JobState = {
  job: undefined, status: undefined, progress: undefined, message: undefined, stage: undefined, isLoading: false,
  isFinished: false, error: undefined,
};

export interface UseJobOptions {
  client?: JoblineClient;
  /** Give up after this long without a connection (default 60 000 ms); then `error` is set. */
  reconnectTimeoutMs?: number;
}

/** The job's live state over the WebSocket (resumed after dropped connections); nothing while `jobId` is empty. */
export function useJob(jobId: string | null | undefined, options: UseJobOptions = {}): JobState {
  const client = useJoblineClient(options.client);
  const [state, setState] = useState<JobState>(jobId ? { ...NO_JOB, isLoading: true } : NO_JOB);
  const reconnectTimeoutMs = options.reconnectTimeoutMs;

  useEffect(() => {
    if (!jobId) {
      setState(NO_JOB);
      return undefined;
    }
    setState({ ...NO_JOB, isLoading: true });
    const follow = client.follow(jobId, { reconnectTimeoutMs });
    let active = true;
    void (async () => {
      try {
        for await (const update of follow) {
          if (!active) break;
          setState((before) => applyUpdate(before, update));
        }
      } catch (error) {
        if (active) setState((before) => ({ ...before, isLoading: false, error: error as Error }));
      }
    })();
    return () => {
      active = false;
      follow.close();
    };
  }, [client, jobId, reconnectTimeoutMs]);

  return state;
}

/** The state after one live update: a status replaces the job, a progress update amends it. */
export function applyUpdate(before: JobState, update: JobUpdate): JobState {
  let job: Job | undefined;
  if (update.type === "job_status") {
    job = update.status.status === "deleted"
      ? { ...(before.job ?? { job_id: update.job_id, type: "" }), status: "deleted" as never } as Job
      : update.status as Job;
  } else {
    job = { ...(before.job ?? { job_id: update.job_id, type: "", status: "running" }), progress: update.progress,
      progress_message: update.message, stage: update.stage } as Job;
  }
  const status = job.status as JobState["status"];
  return {
    job, status, progress: job.progress ?? undefined, message: job.progress_message ?? undefined,
    stage: job.stage ?? undefined, isLoading: false, isFinished: isTerminal(status) || status === "deleted",
    error: undefined,
  };
}

export type Persistence = "url" | "session" | "none";

export interface UseSubmitJobOptions {
  client?: JoblineClient;
  /**
   * Where the submitted job's id is kept so that a reload resumes it: `"url"` (a query parameter, by
   * `history.replaceState`; the default: a reload, a bookmark and a shared link all find the job), `"session"`
   * (sessionStorage: this tab only, a clean URL), or `"none"`.
   */
  persist?: Persistence;
  /** The query parameter or sessionStorage key (default `"job"`). */
  key?: string;
  reconnectTimeoutMs?: number;
}

export interface SubmitJobState extends JobState {
  jobId: string | undefined;
  /** True when the id came from the URL or storage at mount (a reload), not from a submit of this page. */
  isResumed: boolean;
  isSubmitting: boolean;
  /** Submits the job and follows it. Never rejects: a refused submit sets `error` and resolves undefined. */
  submit(type: string, input?: Record<string, unknown>, options?: SubmitOptions): Promise<SubmittedJob | undefined>;
  /** Cancels the job (`POST .../cancel`); the new status arrives through the follow. */
  cancel(): Promise<void>;
  /** Forgets the job: clears the URL parameter or storage, and the state. */
  reset(): void;
}

export function useSubmitJob(options: UseSubmitJobOptions = {}): SubmitJobState {
  const client = useJoblineClient(options.client);
  const persist = options.persist ?? "url";
  const key = options.key ?? "job";
  const initial = useRef<string | undefined>(undefined);
  const [jobId, setJobId] = useState<string | undefined>(() => (initial.current = readPersisted(persist, key)));
  const [isResumed, setResumed] = useState(initial.current !== undefined);
  const [isSubmitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error | undefined>(undefined);
  const live = useJob(jobId, { client, reconnectTimeoutMs: options.reconnectTimeoutMs });

  useEffect(() => {
    // A kept id whose job is gone (deleted, another service): forget it, so that the next reload starts clean.
    if (live.error instanceof ProblemError && live.error.status === 404) clearPersisted(persist, key);
  }, [live.error, persist, key]);

  const submit = useCallback(async (type: string, input?: Record<string, unknown>, submitOptions?: SubmitOptions) => {
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const submitted = await client.submit(type, input, submitOptions);
      writePersisted(persist, key, submitted.job_id);
      setResumed(false);
      setJobId(submitted.job_id);
      return submitted;
    } catch (error) {
      setSubmitError(error as Error);
      return undefined;
    } finally {
      setSubmitting(false);
    }
  }, [client, persist, key]);

  const cancel = useCallback(async () => {
    if (!jobId) return;
    try {
      await client.cancel(jobId);
    } catch (error) {
      setSubmitError(error as Error);
    }
  }, [client, jobId]);

  const reset = useCallback(() => {
    clearPersisted(persist, key);
    setJobId(undefined);
    setResumed(false);
    setSubmitError(undefined);
  }, [persist, key]);

  return useMemo(() => ({
    ...live, error: submitError ?? live.error, jobId, isResumed, isSubmitting, submit, cancel, reset,
  }), [live, submitError, jobId, isResumed, isSubmitting, submit, cancel, reset]);
}

function readPersisted(persist: Persistence, key: string): string | undefined {
  if (typeof window === "undefined") return undefined;
  if (persist === "url") return new URL(window.location.href).searchParams.get(key) || undefined;
  if (persist === "session") return window.sessionStorage.getItem(key) || undefined;
  return undefined;
}

function writePersisted(persist: Persistence, key: string, jobId: string): void {
  if (typeof window === "undefined") return;
  if (persist === "url") {
    const url = new URL(window.location.href);
    url.searchParams.set(key, jobId);
    window.history.replaceState(window.history.state, "", url.toString());
  } else if (persist === "session") {
    window.sessionStorage.setItem(key, jobId);
  }
}

function clearPersisted(persist: Persistence, key: string): void {
  if (typeof window === "undefined") return;
  if (persist === "url") {
    const url = new URL(window.location.href);
    if (!url.searchParams.has(key)) return;
    url.searchParams.delete(key);
    window.history.replaceState(window.history.state, "", url.toString());
  } else if (persist === "session") {
    window.sessionStorage.removeItem(key);
  }
}
