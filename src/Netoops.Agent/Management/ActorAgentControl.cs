using Akka.Actor;
using Netoops.Actors.Netconsole;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Hosting;
using ActorTargetSummary = Netoops.Actors.Subsystems.TargetSummary;

namespace Netoops.Agent.Management;

/// <summary>The management API answered by the agent's actors: the subsystems own the targets and settings, the dump desk owns dumps.</summary>
public sealed class ActorAgentControl : IAgentControl
{
    /// <summary>Enabling waits for setup, which may wait up to carrier_timeout (4 s) for a link.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);

    private readonly IReadOnlyDictionary<string, IActorRef> _subsystems;
    private readonly IActorRef _kmsg;
    private readonly IActorRef _dumps;
    private readonly IActorRef _streamer;
    private readonly AgentCounters _counters;

    public ActorAgentControl(IReadOnlyDictionary<string, IActorRef> subsystems, IActorRef kmsg, IActorRef dumps, IActorRef streamer, AgentCounters counters)
    {
        _streamer = streamer;
        _subsystems = subsystems;
        _kmsg = kmsg;
        _dumps = dumps;
        _counters = counters;
    }

    public Task<IReadOnlyList<string>> Subsystems()
        => Task.FromResult<IReadOnlyList<string>>(_subsystems.Keys.Order(StringComparer.Ordinal).ToList());

    public async Task<ControlResult<IReadOnlyList<string>>> Targets(string subsystem)
    {
        if (!_subsystems.TryGetValue(subsystem, out var actor)) return NoSubsystem<IReadOnlyList<string>>(subsystem);
        var list = await actor.Ask<TargetList>(new ListTargets(), AskTimeout);
        return ControlResult<IReadOnlyList<string>>.Ok(list.Targets.Select(t => t.Target).ToList());
    }

    public Task<ControlResult<string>> MakeTarget(string subsystem, string target)
        => AskTarget(subsystem, new Netoops.Actors.Subsystems.MakeTarget(target), _ => "");

    public Task<ControlResult<string>> DropTarget(string subsystem, string target)
        => AskTarget(subsystem, new Netoops.Actors.Targets.DropTarget(target), _ => "");

    public async Task<ControlResult<IReadOnlyDictionary<string, string>>> Attributes(string subsystem, string target)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TargetAttributeText.Names)
        {
            var one = await ReadAttribute(subsystem, target, name);
            if (one.Outcome != ControlOutcome.Ok)
                return ControlResult<IReadOnlyDictionary<string, string>>.Refused(one.Outcome, one.Message!);
            values[name] = one.Value!;
        }
        return ControlResult<IReadOnlyDictionary<string, string>>.Ok(values);
    }

    public Task<ControlResult<string>> ReadAttribute(string subsystem, string target, string attribute)
        => AskTarget(subsystem, new ReadAttribute(target, attribute), reply => ((AttributeValue)reply).Text);

    public Task<ControlResult<string>> WriteAttribute(string subsystem, string target, string attribute, string text)
        => AskTarget(subsystem, new WriteAttribute(target, attribute, text), _ => "");

    public async Task<ControlResult<string>> ReadSetting(string name)
    {
        if (!_subsystems.TryGetValue("netoops", out var netoops)) return NoSubsystem<string>("netoops");
        return await netoops.Ask<object>(new ReadSetting(name), AskTimeout) switch
        {
            SettingValue value => ControlResult<string>.Ok(value.Text),
            Invalid invalid => ControlResult<string>.Refused(ControlOutcome.NotFound, invalid.Reason),
            var other => Unexpected<string>(other),
        };
    }

    public async Task<ControlResult<string>> WriteSetting(string name, string text)
    {
        if (!_subsystems.TryGetValue("netoops", out var netoops)) return NoSubsystem<string>("netoops");
        return await netoops.Ask<object>(new WriteSetting(name, text), AskTimeout) switch
        {
            Accepted => ControlResult<string>.Ok(""),
            Invalid invalid => ControlResult<string>.Refused(ControlOutcome.Invalid, invalid.Reason),
            var other => Unexpected<string>(other),
        };
    }

    public async Task<ControlResult<DumpSummary>> SoftDump()
        => ControlResult<DumpSummary>.Ok(await _kmsg.Ask<DumpSummary>(Kmsg.RequestSoftDump.Instance, AskTimeout));

    public async Task<AgentStatus> Status()
    {
        var targets = new List<TargetSummary>();
        foreach (var (subsystem, actor) in _subsystems.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var list = await actor.Ask<TargetList>(new ListTargets(), AskTimeout);
            foreach (ActorTargetSummary summary in list.Targets)
            {
                if (await actor.Ask<object>(new GetTargetStatus(summary.Target), AskTimeout) is not TargetStatus status)
                    continue; // dropped between the list and the question
                var a = status.Attributes;
                targets.Add(new TargetSummary(subsystem, summary.Target, status.State.ToString(), a.DevName,
                    $"{a.RemoteIp}:{a.RemotePort}", status.TransmitErrors));
            }
        }
        var recent = await _dumps.Ask<IReadOnlyList<DumpSummary>>(Netoops.Agent.Dumps.GetRecentDumps.Instance, AskTimeout);
        var streamed = await _streamer.Ask<StreamerStats>(new GetStreamerStats(), AskTimeout);
        var counters = new SortedDictionary<string, long>(_counters.Snapshot().ToDictionary(), StringComparer.Ordinal)
        {
            ["netconsole_forwarded"] = streamed.Forwarded,
            ["netconsole_rate_limited"] = streamed.RateLimited,
            ["netconsole_skipped_oops_only"] = streamed.SkippedOopsOnly,
        };
        return new AgentStatus(targets, counters, recent);
    }

    private async Task<ControlResult<string>> AskTarget(string subsystem, object request, Func<ITargetReply, string> ok)
    {
        if (!_subsystems.TryGetValue(subsystem, out var actor)) return NoSubsystem<string>(subsystem);
        return await actor.Ask<object>(request, AskTimeout) switch
        {
            Busy busy => ControlResult<string>.Refused(ControlOutcome.Busy, busy.Message),
            Invalid invalid when invalid.Reason.StartsWith("no target ", StringComparison.Ordinal)
                => ControlResult<string>.Refused(ControlOutcome.NotFound, $"{subsystem}/{invalid.Target}: {invalid.Reason}"),
            Invalid invalid => ControlResult<string>.Refused(ControlOutcome.Invalid, $"{subsystem}/{invalid.Target}: {invalid.Reason}"),
            ITargetReply reply => ControlResult<string>.Ok(ok(reply)),
            var other => Unexpected<string>(other),
        };
    }

    private static ControlResult<T> NoSubsystem<T>(string subsystem)
        => ControlResult<T>.Refused(ControlOutcome.NotFound, $"no subsystem '{subsystem}' (netconsole, netoops)");

    private static ControlResult<T> Unexpected<T>(object reply)
        => ControlResult<T>.Refused(ControlOutcome.Invalid, $"unexpected answer {reply.GetType().Name}");
}
