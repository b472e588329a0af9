using Akka.Actor;
using Netoops.Agent.Dumps;
using Netoops.Agent.Management;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// The sender of one request to the dump desk. Like <see cref="ReplyBox"/>, but it traces only what
/// a seed replays (a summary's time stamp differs from run to run), and it knows which agent
/// incarnation was asked: a restart loses the answers its predecessor still owed.
/// </summary>
public sealed class DeskReplyBox(ActorPath path, IActorRefProvider provider, Trace trace, string request, int incarnation) : MinimalActorRef
{
    private readonly List<object> _answers = [];

    public string Request { get; } = request;
    public int Incarnation { get; } = incarnation;
    public override ActorPath Path { get; } = path;
    public override IActorRefProvider Provider { get; } = provider;
    public int Count
    {
        get { lock (_answers) return _answers.Count; }
    }

    public IReadOnlyList<object> Answers
    {
        get { lock (_answers) return _answers.ToList(); }
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        lock (_answers) _answers.Add(message);
        trace.Add($"  '{Request}' <- " + message switch
        {
            DumpSummary s => $"dump {s.DumpId} {(s.Spooled ? "spooled" : "sent")}{(s.Refused is { } why ? $" ({why})" : "")}",
            PendingSpooled p => $"spooled as {p.Sequence}",
            Status.Failure f => $"failed ({f.Cause.Message})",
            _ => message.GetType().Name,
        });
    }
}
