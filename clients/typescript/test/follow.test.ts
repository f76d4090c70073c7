import { describe, expect, it } from "vitest";
import { ProblemError, type JobUpdate } from "../src/index.js";
import { hasService, newClient, serviceUrl } from "./support/service.js";
import { TcpProxy } from "./support/tcp-proxy.js";

const PROGRESS_EVENTS = new Set(["ProgressReported", "StageStarted", "StageCompleted"]);

describe.skipIf(!hasService)("follow against the service", () => {
  const client = newClient();

  it("should yield updates in sequence order until the final status", async () => {
    const { job_id } = await client.submit("demo", { stages: 3, stage_ms: 200 });

    const updates: JobUpdate[] = [];
    for await (const update of client.follow(job_id)) updates.push(update);

    const sequences = updates.map((u) => u.seq);
    expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
    const last = updates[updates.length - 1];
    expect(last?.type === "job_status" && last.status.status).toBe("completed");
    expect(updates.some((u) => u.type === "job_progress")).toBe(true);
  });

  it("should resume after a dropped connection, receiving every update once and in order", async () => {
    const proxy = await TcpProxy.start(serviceUrl);
    try {
      const { job_id } = await client.submit("demo", { stages: 3, stage_ms: 600 });
      const follow = newClient({ baseUrl: proxy.url }).follow(job_id, { after: 0 });

      const updates: JobUpdate[] = [];
      for await (const update of follow) {
        updates.push(update);
        if (updates.length === 2) proxy.cut(); // mid-job: the job runs for about 1.8 s more
      }

      const sequences = updates.map((u) => u.seq);
      expect(follow.reconnects).toBeGreaterThanOrEqual(1);
      expect(proxy.accepted).toBeGreaterThanOrEqual(2);
      expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
      const last = updates[updates.length - 1];
      expect(last?.type === "job_status" && last.status.status).toBe("completed");
      const events = (await client.events(job_id)).events;
      const progressSequences = events.filter((e) => PROGRESS_EVENTS.has(e.type)).map((e) => e.sequence);
      expect(progressSequences.length).toBeGreaterThan(3);
      for (const seq of progressSequences) expect(sequences).toContain(seq);
    } finally {
      await proxy.close();
    }
  });

  it("should reject with a 404 ProblemError for an unknown job", async () => {
    const follow = client.follow("00000000-0000-0000-0000-000000000000");
    const error = await follow.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(404);
  });
});
