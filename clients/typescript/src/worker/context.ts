/** `StageContext`: what a stage function gets to see and do. */
import type { JobFile, JobOptions } from "../types.js";
import type { Attempt } from "./attempt.js";

export interface StageRef {
  /** 1-based. */
  number: number;
  name: string;
}

export class StageContext<Input = Record<string, unknown>> {
  readonly jobId: string;
  readonly attempt: number;
  readonly type: string;
  readonly input: Input;
  readonly options: JobOptions;
  /** The plan: every stage's name, in order. */
  readonly stages: readonly string[];
  /** Input files uploaded with the job; `download(file)` fetches one. */
  readonly files: readonly JobFile[];
  /** The job's W3C trace context, when the service traces: start your spans as its children. */
  readonly traceparent: string | undefined;

  constructor(private readonly run: Attempt, readonly stage: StageRef, readonly checkpoint: unknown,
    readonly workerId: string) {
    const task = run.task;
    this.jobId = task.job_id;
    this.attempt = task.attempt;
    this.type = task.type;
    this.input = (task.input ?? {}) as Input;
    this.options = task.options ?? {};
    this.stages = [...run.stages];
    this.files = task.files ?? [];
    this.traceparent = task.traceparent ?? undefined;
  }

  /**
   * Aborted when the attempt is over for this worker: the job was cancelled (seen at a heartbeat), the worker is
   * shutting down (the job was released), or the server fenced the attempt off. Its `reason` is a
   * JobCancelledError or AttemptStoppedError. Hand it to `fetch`, child processes, timers.
   */
  get signal(): AbortSignal {
    return this.run.signal;
  }

  /** True once the server said the job was cancelled. */
  get cancelled(): boolean {
    return this.run.ended?.reason === "cancelled";
  }

  /**
   * Reports how far this stage is (0 to 1) and what it does. Sent with the next heartbeat: at most about once a
   * second, at once when the fraction moved by 0.1 or more. Cheap: call it as often as you like. Throws the
   * attempt's end (JobCancelledError, AttemptStoppedError) once it is over.
   */
  progress(fraction?: number, message?: string): void {
    if (fraction !== undefined) {
      if (!Number.isFinite(fraction)) throw new RangeError(`progress must be a number from 0 to 1, not ${fraction}`);
      fraction = Math.min(1, Math.max(0, fraction));
    }
    this.run.offerProgress(fraction, message);
  }

  /** Throws the attempt's end if it is over: for stages that report no progress. */
  throwIfStopped(): void {
    this.run.check();
  }

  /** Stores a file as an artifact of the job (kept when the job completes). */
  uploadArtifact(name: string, content: Blob | Uint8Array | string, contentType?: string): Promise<Record<string, unknown>> {
    const type = contentType ?? (content instanceof Blob && content.type ? content.type : guessType(name));
    const blob = content instanceof Blob ? content : new Blob([content as BlobPart], { type });
    return this.run.upload(name, blob, type);
  }

  /** An input file of the job (by name or as listed in `files`), as the raw Response (`.arrayBuffer()`, `.body`). */
  download(file: string | JobFile): Promise<Response> {
    const entry = typeof file === "string" ? this.files.find((f) => f.name === file) : file;
    if (!entry) {
      throw new Error(`The job has no file named ${String(file)}; it has ${this.files.map((f) => f.name).join(", ") || "none"}`);
    }
    return this.run.api.download(this.run.task, entry.url);
  }
}

const TYPES: Record<string, string> = {
  json: "application/json", csv: "text/csv", txt: "text/plain", html: "text/html", png: "image/png",
  jpg: "image/jpeg", jpeg: "image/jpeg", mp4: "video/mp4", pdf: "application/pdf",
};

function guessType(name: string): string {
  const extension = name.toLowerCase().split(".").pop() ?? "";
  return TYPES[extension] ?? "application/octet-stream";
}
