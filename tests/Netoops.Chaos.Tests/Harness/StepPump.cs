using Netoops.Agent.Dumps;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// How the dump desk leaves its mailbox in chaos runs. In production its spool I/O runs on the
/// thread pool and the coordinator's answers to its asks come back there (an ask's task runs its
/// continuations asynchronously), so either reaches the desk at a moment nobody chose. Here each
/// is queued instead and completes, in queueing order, on the schedule's one thread when the
/// schedule drains the pump (after every step and every tick of quiescence), outside any task, so
/// the desk's pipe continues inline: a seed replays the same interleaving. After each piece of
/// spool I/O <see cref="AfterEach"/> runs, which is how the ledger sees a file leave as it goes.
/// </summary>
public sealed class StepPump : IDeskAsync
{
    private readonly Queue<Action> _queued = new();
    private readonly object _gate = new();

    public Action AfterEach { get; set; } = () => { };

    public int Pending
    {
        get { lock (_gate) return _queued.Count; }
    }

    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>();
        Enqueue(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
            AfterEach();
        });
        return done.Task;
    }

    /// <summary>
    /// The answer is noted on the thread that gives it (the coordinator's, which is the schedule's),
    /// through a scheduler that runs the note at once, and passed on when the pump is drained.
    /// </summary>
    public Task<T> Answer<T>(Task<T> ask)
    {
        var done = new TaskCompletionSource<T>();
        ask.ContinueWith(t => Enqueue(() =>
        {
            if (t.IsFaulted) done.SetException(t.Exception!.InnerExceptions);
            else if (t.IsCanceled) done.SetCanceled();
            else done.SetResult(t.Result);
        }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, AtOnce.Instance);
        return done.Task;
    }

    /// <summary>Runs what was queued, and what that queues, until nothing is left.</summary>
    public void Drain()
    {
        while (true)
        {
            Action next;
            lock (_gate)
            {
                if (!_queued.TryDequeue(out next!)) return;
            }
            next();
        }
    }

    private void Enqueue(Action work)
    {
        lock (_gate) _queued.Enqueue(work);
    }

    /// <summary>Runs every task where and when it is queued.</summary>
    private sealed class AtOnce : TaskScheduler
    {
        public static readonly AtOnce Instance = new();

        protected override void QueueTask(Task task) => TryExecuteTask(task);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => [];
    }
}
