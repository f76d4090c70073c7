// @vitest-environment jsdom
import { act, cleanup, render, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { JoblineProvider, useJob, useSubmitJob } from "../src/react/index.js";
import { hasService, newClient } from "./support/service.js";

describe.skipIf(!hasService)("React hooks against the service", () => {
  const client = newClient();

  afterEach(() => {
    cleanup();
    window.history.replaceState(null, "", "/");
    window.sessionStorage.clear();
  });

  it("useJob should show the job live, from loading to its final state", async () => {
    const { job_id } = await client.submit("demo", { stages: 3, stage_ms: 300 });
    const seen: Array<string | undefined> = [];

    const { result } = renderHook(() => {
      const state = useJob(job_id, { client });
      seen.push(state.status);
      return state;
    });

    expect(result.current.isLoading).toBe(true);
    await waitFor(() => expect(result.current.status).toBe("completed"), { timeout: 20_000 });
    expect(result.current.isFinished).toBe(true);
    expect(result.current.progress).toBe(100);
    expect(result.current.job?.stages_total).toBe(3);
    expect(result.current.error).toBeUndefined();
    expect(seen).toContain("running");
  });

  it("useJob should report an unknown job as an error", async () => {
    const { result } = renderHook(() => useJob("00000000-0000-0000-0000-000000000000", { client }));

    await waitFor(() => expect(result.current.error).toBeDefined(), { timeout: 10_000 });
    expect(result.current.isLoading).toBe(false);
  });

  it.each(["url", "session"] as const)(
    "useSubmitJob (persist: %s) should find the job again after a reload and follow it to its end",
    async (persist) => {
      const first = renderHook(() => useSubmitJob({ persist }), {
        wrapper: ({ children }) => <JoblineProvider client={client}>{children}</JoblineProvider>,
      });
      await act(async () => {
        await first.result.current.submit("demo", { stages: 3, stage_ms: 500 });
      });
      const jobId = first.result.current.jobId!;
      await waitFor(() => expect(first.result.current.status).toBe("running"), { timeout: 10_000 });

      first.unmount(); // the page goes away mid-job ...
      if (persist === "url") expect(new URL(window.location.href).searchParams.get("job")).toBe(jobId);
      else expect(window.sessionStorage.getItem("job")).toBe(jobId);

      const second = renderHook(() => useSubmitJob({ persist, client })); // ... and loads again
      expect(second.result.current.jobId).toBe(jobId);
      expect(second.result.current.isResumed).toBe(true);
      await waitFor(() => expect(second.result.current.status).toBe("completed"), { timeout: 20_000 });
      expect(second.result.current.progress).toBe(100);

      act(() => second.result.current.reset());
      expect(second.result.current.jobId).toBeUndefined();
      expect(window.location.search).toBe("");
      expect(window.sessionStorage.getItem("job")).toBeNull();
    });

  it("useSubmitJob should keep a refused submit as its error without throwing", async () => {
    function Page() {
      const job = useSubmitJob({ client });
      return (
        <div>
          <button onClick={() => void job.submit("no-such-type-for-sure")}>go</button>
          <span data-testid="error">{job.error ? String((job.error as { status?: number }).status) : ""}</span>
        </div>
      );
    }
    const page = render(<Page />);

    act(() => page.getByText("go").click());

    await waitFor(() => expect(page.getByTestId("error").textContent).toBe("400"), { timeout: 10_000 });
    expect(window.location.search).toBe("");
  });
});
