namespace Netoops.Agent.Dumps;

/// <summary>
/// How the dump desk leaves its mailbox: spool I/O runs elsewhere, and the coordinator's answers
/// come back, before either is piped to the desk. Production is <see cref="ThreadPoolDeskAsync"/>
/// (Task.Run, and the ask's own task). A seam for the chaos suite, which queues both and runs them
/// on its one thread in order, so that a seed replays the same interleaving.
/// </summary>
public interface IDeskAsync
{
    Task<T> Run<T>(Func<T> work);

    Task<T> Answer<T>(Task<T> ask);
}

/// <summary>The thread pool, and an ask's answer as it comes.</summary>
public sealed class ThreadPoolDeskAsync : IDeskAsync
{
    public static readonly ThreadPoolDeskAsync Instance = new();

    public Task<T> Run<T>(Func<T> work) => Task.Run(work);

    public Task<T> Answer<T>(Task<T> ask) => ask;
}
