using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Netoops.Agent.Dumps;
using Netoops.Agent.Machine;
using Netoops.Agent.Pstore;
using Netoops.Agent.Spool;

namespace Netoops.Agent.Hosting;

/// <summary>
/// At start: records which boot this is, then hands every pstore record of the previous boot to
/// the dump desk. Each record is spooled (durable) before its files are archived or unlinked, so
/// a crash of the agent in between loses nothing and sends nothing twice.
/// </summary>
public sealed class PstoreHarvestService(
    AgentOptions options, MachineFactsProvider facts, IRequiredActor<DumpDeskKey> dumps, AgentCounters counters,
    ILogger<PstoreHarvestService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var current = facts.Current;
        var previous = BootHistory.Rotate(options.StateDir,
            new BootHistory.BootInfo(current.BootUuid, options.BootId ?? current.BootId, current.KernelRelease));

        var harvester = new PstoreHarvester(options.EffectivePstoreFolders, options.StateDir, options.PstoreDisposal, log);
        var records = harvester.Harvest();
        counters.Add("pstore_refused", harvester.Refused);
        if (records.Count == 0) return;

        var desk = await dumps.GetAsync(stoppingToken);
        foreach (var record in records)
        {
            var dump = new PendingDump(
                record.Reason == "Panic" ? DumpCause.Panic : DumpCause.Oops,
                [], System.Text.Encoding.UTF8.GetBytes(record.Text), null,
                current.Cpu.Vendor, current.Cpu.Family, current.Cpu.Model, current.Cpu.Stepping,
                record.KernelRelease ?? previous?.KernelRelease ?? current.KernelRelease,
                previous?.BootId ?? 0, options.UserBlob ?? current.UserBlob,
                "pstore", DateTimeOffset.UtcNow);
            await desk.Ask<PendingSpooled>(new SpoolAndSend(dump), TimeSpan.FromSeconds(30), stoppingToken);
            harvester.Complete(record);
            counters.Add("pstore_records");
            log.LogInformation("pstore: {Reason}#{Count} of the previous boot ({Parts} parts) handed on", record.Reason, record.Count, record.Files.Count);
        }
    }
}
