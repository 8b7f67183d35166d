/**
 * Reads a Chrome trace (the events of CDP Tracing, categories `toplevel` and
 * `disabled-by-default-devtools.timeline`) for scripts/bench-longtasks.mjs --trace: for each task
 * of the page's main thread whose wall time passed `overMs`, how much of it was CPU time, and how
 * much CPU every other thread spent while it ran. A task whose CPU time is far below its wall time
 * waited for a core; the other threads' figures say who had the cores.
 */

/** A task on a thread with a message loop, and one on a thread-pool thread (raster, V8's helpers). */
const TASKS = new Set(['ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

/** "process/thread" names by pid and tid, from the trace's metadata events. */
function threadNames(events) {
  const processes = new Map();
  const threads = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processes.set(e.pid, e.args.name);
    if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  return (pid, tid) => `${processes.get(pid) ?? pid}/${threads.get(`${pid}:${tid}`) ?? tid}`;
}

/**
 * Each long task of the renderer's main thread (the renderer that runs the training workers), with
 * its start in ms after `fromUs` (a trace timestamp), wall and CPU ms, and the CPU ms of other
 * threads inside it (a task of another thread that overlaps counts in proportion to the overlap).
 */
export function longTaskThreads(events, { overMs = 50, fromUs = 0 } = {}) {
  const name = threadNames(events);
  const tasks = events.filter((e) => e.ph === 'X' && TASKS.has(e.name) && typeof e.tdur === 'number' && e.dur > 0);
  const workerPids = new Set(tasks.filter((e) => name(e.pid, e.tid).endsWith('/DedicatedWorker thread')).map((e) => e.pid));
  const isMain = (e) => workerPids.has(e.pid) && name(e.pid, e.tid).endsWith('/CrRendererMain');
  return tasks
    .filter((t) => isMain(t) && t.dur > overMs * 1000 && t.ts >= fromUs)
    .map((t) => {
      const others = new Map();
      for (const e of tasks) {
        if (e.pid === t.pid && e.tid === t.tid) continue;
        const overlap = Math.min(t.ts + t.dur, e.ts + e.dur) - Math.max(t.ts, e.ts);
        if (overlap <= 0) continue;
        const key = `${name(e.pid, e.tid)} ${e.tid}`;
        others.set(key, (others.get(key) ?? 0) + (e.tdur * overlap) / e.dur / 1000);
      }
      const busy = [...others].filter(([, ms]) => ms >= 1).sort((a, b) => b[1] - a[1]);
      return {
        atMs: Math.round((t.ts - fromUs) / 1000),
        wallMs: Math.round(t.dur / 1000),
        cpuMs: Math.round(t.tdur / 1000),
        others: Object.fromEntries(busy.map(([k, ms]) => [k, Math.round(ms)])),
      };
    });
}
