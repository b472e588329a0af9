using Microsoft.AspNetCore.Builder;
using Netoops.Agent.Hosting;
using Netoops.Agent.Pstore;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// The real agent host, in-process, as it starts on the machine after the crashed boot: its pstore
/// folder is where the guest's records were copied, its netoops target is the collector over
/// loopback. Its kmsg is an empty file: this scenario is about the previous boot, and the host's
/// own /dev/kmsg is none of its business.
/// </summary>
public sealed class AgentUnderTest : IAsyncDisposable
{
    /// <summary>The netoops source port on the host's loopback; any free one would do.</summary>
    private const int NetoopsSourcePort = 6669;

    private readonly WebApplication _agent;
    private readonly string _runtimeFolder;

    private AgentUnderTest(WebApplication agent, string runtimeFolder)
    {
        _agent = agent;
        _runtimeFolder = runtimeFolder;
    }

    /// <param name="previousBoot">
    /// What the agent would have written while the crashed boot ran (it ran there too, in real
    /// life): the pstore dump is sent with that boot's boot_id.
    /// </param>
    public static async Task<AgentUnderTest> StartAsync(ScenarioLog log, string pstoreFolder, int collectorNetoopsPort,
        BootHistory.BootInfo previousBoot)
    {
        var state = log.PathOf("agent-state");
        BootHistory.Rotate(state, previousBoot);
        var kmsg = log.PathOf("kmsg.empty");
        await File.WriteAllBytesAsync(kmsg, []);
        // A Unix socket path has a 108-byte limit that the artefacts folder may exceed.
        var runtime = Directory.CreateTempSubdirectory("netoops-kernel-agent-").FullName;

        var options = new AgentOptions
        {
            Kmsg = kmsg,
            Socket = Path.Combine(runtime, "agent.sock"),
            StateDir = state,
            Netoops = $"{NetoopsSourcePort}@127.0.0.1/lo,{collectorNetoopsPort}@127.0.0.1/",
            PstoreFolders = [pstoreFolder],
            // Keep the records' files in the artefacts folder; the agent remembers what it sent.
            PstoreDisposal = PstoreDisposal.Keep,
        };
        log.Step($"agent: pstore {pstoreFolder}, netoops {options.Netoops}, previous boot {previousBoot}");
        var agent = AgentHost.Build(options);
        await agent.StartAsync();
        return new AgentUnderTest(agent, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.StopAsync();
        await _agent.DisposeAsync();
        Directory.Delete(_runtimeFolder, recursive: true);
    }
}
