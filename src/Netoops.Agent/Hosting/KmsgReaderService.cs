using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Netoops.Agent.Kmsg;

namespace Netoops.Agent.Hosting;

/// <summary>Runs the kmsg reader on its own thread (reads block in the kernel) and hands each record to /user/kmsg.</summary>
public sealed class KmsgReaderService(AgentOptions options, IRequiredActor<KmsgActorKey> kmsg, AgentCounters counters, ILogger<KmsgReaderService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var actor = await kmsg.GetAsync(stoppingToken);
        var reader = new KmsgReader(options.Kmsg, options.KmsgHistory, log);
        log.LogInformation("kmsg: reading {Path} ({Where})", options.Kmsg, options.KmsgHistory ? "replaying the ring" : "new records only");
        var thread = Task.Factory.StartNew(() =>
        {
            reader.Run(record =>
            {
                actor.Tell(new KmsgRecordRead(record));
                counters.Set("kmsg_gaps", reader.Gaps);
            }, stoppingToken);
        }, stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            await thread;
        }
        catch (IOException e)
        {
            // Without a log source the agent cannot see crashes: say so loudly, keep serving pstore/spool/API.
            log.LogError("kmsg: reader stopped: {Error}", e.Message);
            counters.Add("kmsg_reader_failures");
        }
    }
}
