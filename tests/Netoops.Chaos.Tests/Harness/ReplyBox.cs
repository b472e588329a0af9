using Akka.Actor;
using Netoops.Actors.Targets;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// The sender of one request: keeps every reply together with the state the target was in at the
/// instant it answered (the reply is told from inside the target, so the observer is exact then).
/// A plain actor ref rather than an actor so that recording is synchronous in every dispatcher.
/// </summary>
public sealed class ReplyBox(ActorPath path, IActorRefProvider provider, LifecycleObserver observer, Trace trace, string request) : MinimalActorRef
{
    private readonly List<(object Message, TargetState StateThen)> _replies = [];
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Request { get; } = request;
    public override ActorPath Path { get; } = path;
    public override IActorRefProvider Provider { get; } = provider;

    public IReadOnlyList<(object Message, TargetState StateThen)> Replies
    {
        get { lock (_replies) return _replies.ToList(); }
    }

    public int Count
    {
        get { lock (_replies) return _replies.Count; }
    }

    /// <summary>Completes when the first reply has arrived.</summary>
    public Task Answered => _first.Task;

    protected override void TellInternal(object message, IActorRef sender)
    {
        var state = message is ITargetReply reply ? observer.StateOf(reply.Target) : TargetState.Dropped;
        lock (_replies) _replies.Add((message, state));
        if (Request is not "list" and not "status") trace.Add($"  '{Request}' <- {message}");
        _first.TrySetResult();
    }
}
