using Netoops.Actors.Dumps;
using Netoops.Actors.Ports;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>The invariant checks of a schedule run: after each step, at quiescence, and after the final drops.</summary>
internal sealed partial class ScheduleRun
{
    /// <summary>
    /// I7, the other half: a target that becomes Deactivated during this step must not have a
    /// device that concerns it registered already. If the device came back while the target was
    /// still setting up or cleaning (so the register event found it mid-transition), nothing would
    /// ever resume it.
    /// </summary>
    private void CheckNoLostResume(int mark)
    {
        var deactivated = _observer.TransitionsSince(mark).Where(t => t.To == TargetState.Deactivated).Select(t => t.Target).ToHashSet();
        if (deactivated.Count == 0) return;
        foreach (var status in Statuses().Where(s => s.State == TargetState.Deactivated && deactivated.Contains(s.Target)))
        {
            var back = _world.Devices.FirstOrDefault(d => d.Registered && d.ReturnedUnderItsName &&
                new DeviceRegistered(d.Index, d.Name, d.Mac).Concerns(status.Attributes.DevName));
            if (back is not null)
                _violations.Add(Invariant.ExactResume,
                    $"target {status.Target} became Deactivated although {back.Name} (index {back.Index}) had registered again: it will never resume");
        }
    }

    private void CheckAfterStep(int mark)
    {
        CheckNoLostResume(mark);
        foreach (var status in Statuses())
        {
            if (status.State == TargetState.Enabled && status.Device is { } device && _world.IsDead(device.Index))
                _violations.Add(Invariant.SendsOnlyWhileEnabled, $"target {status.Target} is Enabled on unregistered device {device.Index}");
            foreach (var open in _netpoll.ChannelsOf(status.Target).Where(c => c.CloseCalls == 0))
            {
                var a = status.Attributes;
                if (a.RemotePort != open.Opened.RemotePort || a.LocalPort != open.Opened.LocalPort || !a.RemoteIp.Equals(open.Opened.RemoteIp))
                    _violations.Add(Invariant.AttributesFrozen,
                        $"target {status.Target} now has {a.RemoteIp}:{a.RemotePort} but its open socket #{open.Id} was set up for {open.Opened.RemoteIp}:{open.Opened.RemotePort}");
            }
        }
    }

    private void CheckAtQuiescence()
    {
        foreach (var request in _requests.Where(r => !_dumps.Any(d => d.Box == r)))
        {
            if (request.Count != 1)
                _violations.Add(Invariant.OneReply, $"'{request.Request}' got {request.Count} replies: {string.Join(", ", request.Replies.Select(r => r.Message))}");
        }
        foreach (var write in _parameterWrites)
        {
            foreach (var (message, state) in write.Replies)
            {
                if (message is Accepted && state is not (TargetState.Disabled or TargetState.Deactivated))
                    _violations.Add(Invariant.AttributesFrozen, $"'{write.Request}' was accepted while the target was {state}");
            }
        }
        foreach (var dump in _dumps) CheckDump(dump);
        foreach (var dump in _coordinated) CheckCoordinatedDump(dump);
        foreach (var run in _coordinated.GroupBy(d => d.Incarnation))
        {
            var serials = run.Select(d => d.Box.Replies.FirstOrDefault().Message).OfType<DumpReport>().Select(r => r.Serial).ToList();
            if (!serials.SequenceEqual(serials.Order()))
                _violations.Add(Invariant.DumpCoverage, $"dumps were reported out of arrival order: serials {string.Join(",", serials)}");
        }
        foreach (var handed in _agent?.Handed ?? [])
        {
            var acknowledged = handed.Acknowledged?.Count > 0 && handed.Acknowledged.Answers.Any(a => a is Netoops.Agent.Dumps.PendingSpooled);
            _ledger.CheckNothingLost(handed.Dump, killedInFlight: handed.Incarnation != _agent!.Incarnation, acknowledged);
        }
        // A request to the desk of the agent still running has one answer; one a restart cut, none or one.
        foreach (var request in _agent?.Requests ?? [])
        {
            if (request.Count > 1 || (request.Count == 0 && request.Incarnation == _agent!.Incarnation))
                _violations.Add(Invariant.OneReply, $"'{request.Request}' got {request.Count} replies from the dump desk");
        }
        foreach (var status in Statuses()) CheckFinalState(status);
    }

    /// <summary>I6: one report per target asked, and the ones that tried to send are exactly those Enabled at the start.</summary>
    private void CheckDump(DumpRecord dump)
    {
        var replies = dump.Box.Replies.Select(r => r.Message).ToList();
        if (replies.FirstOrDefault() is not FanOutStarted started)
        {
            _violations.Add(Invariant.OneReply, $"'{dump.Box.Request}' was never started");
            return;
        }
        var reports = replies.Skip(1).OfType<TransmitReport>().ToList();
        foreach (var asked in started.Targets)
        {
            var mine = reports.Where(r => r.Target == asked.Target).ToList();
            if (mine.Count != 1)
            {
                _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': target {asked.Target} gave {mine.Count} reports");
                continue;
            }
            var report = mine[0];
            if (report.Outcome == TransmitOutcome.Sent && report.Sent + report.Failed != dump.Datagrams)
                _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': target {asked.Target} reported Sent with {report.Sent}+{report.Failed} of {dump.Datagrams}");
            if (dump.EnabledAtStart is { } enabled && enabled.Contains(asked.Target) == (report.Outcome == TransmitOutcome.NotEnabled))
                _violations.Add(Invariant.DumpCoverage,
                    $"'{dump.Box.Request}': target {asked.Target} was {(enabled.Contains(asked.Target) ? "" : "not ")}Enabled at the start but reported {report.Outcome}");
        }
        if (reports.Count != started.Targets.Count)
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': {reports.Count} reports for {started.Targets.Count} targets");
    }

    /// <summary>
    /// I6 through the coordinator: exactly one report (checked with every reply); a dump that went
    /// out names exactly the targets Enabled at its start (plus, as busy, some that were
    /// mid-transition), and each that sent, sent every packet.
    /// </summary>
    private void CheckCoordinatedDump(CoordinatedDump dump)
    {
        if (dump.Box.Replies.FirstOrDefault().Message is not DumpReport report) return;
        if (report.Refused is not null)
        {
            if (report.Targets.Count > 0)
                _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}' was refused ({report.Refused}) yet names {report.Targets.Count} targets");
            return;
        }
        foreach (var t in report.Targets.Where(t => t.Outcome == DumpTargetOutcome.Sent && t.Sent + t.Failed != report.PacketCount))
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': {t.Target} sent {t.Sent}+{t.Failed} of {report.PacketCount} packets");
        if (dump.AtStart is not { } atStart) return;
        string Names(IEnumerable<string> names) => "[" + string.Join(",", names.Order(StringComparer.Ordinal)) + "]";
        var expected = atStart.Where(s => s.Value == TargetState.Enabled).Select(s => s.Key).ToHashSet();
        var covered = report.Targets.Where(t => t.Outcome != DumpTargetOutcome.Busy).Select(t => t.Target).ToHashSet();
        if (!expected.SetEquals(covered))
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}' covered {Names(covered)} but {Names(expected)} were Enabled at its start");
        var busy = atStart.Where(s => s.Value is TargetState.SettingUp or TargetState.Cleaning).Select(s => s.Key).ToHashSet();
        var reportedBusy = report.Targets.Where(t => t.Outcome == DumpTargetOutcome.Busy).Select(t => t.Target).ToHashSet();
        // A target being dropped is not asked at all, so "busy" may name fewer than were mid-transition.
        if (!reportedBusy.IsSubsetOf(busy))
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}' called {Names(reportedBusy)} busy but only {Names(busy)} were mid-transition");
    }

    /// <summary>I5's reference model of where a settled target must be, given the devices as they are now.</summary>
    private void CheckFinalState(TargetStatus status)
    {
        switch (status.State)
        {
            case TargetState.SettingUp or TargetState.Cleaning:
                _violations.Add(Invariant.LegalLifecycle, $"target {status.Target} is stuck in {status.State} with nothing in flight");
                break;
            case TargetState.Enabled when status.Device is not { } device:
                _violations.Add(Invariant.LegalLifecycle, $"target {status.Target} is Enabled without a device");
                break;
            case TargetState.Enabled:
                var alive = _world.Devices.FirstOrDefault(d => d.Registered && d.Index == status.Device!.Index);
                if (alive is null || alive.Master is not null)
                    _violations.Add(Invariant.LegalLifecycle, $"target {status.Target} is Enabled on device {status.Device!.Index}, which is {(alive is null ? "unregistered" : "a bond slave")}");
                break;
        }
    }

    private void DropEverything()
    {
        var drops = Statuses().Select(s => Ask(new DropTarget(s.Target), $"final drop {s.Target}")).ToList();
        foreach (var drop in drops)
        {
            Await(drop);
            if (drop.Count != 1 || drop.Replies[0].Message is not TargetDropped)
                _violations.Add(Invariant.OneReply, $"'{drop.Request}' answered {string.Join(", ", drop.Replies.Select(r => r.Message))}");
        }
        foreach (var channel in _netpoll.Channels)
        {
            if (channel.CloseCalls != 1 || !channel.CloseCompleted)
                _violations.Add(Invariant.SocketClosedOnce,
                    $"after every target was dropped, socket #{channel.Id} of {channel.Target} was closed {channel.CloseCalls} times{(channel.CloseCompleted ? "" : ", never completed")}");
        }
    }
}
