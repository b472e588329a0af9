using System.Diagnostics;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// One real-kernel scenario's folder of artefacts and its step log. Every step goes both to the
/// test output and to steps.log; the folder (serial log, datagrams, pstore records) stays under
/// the test output when the scenario fails, and is removed when it passes unless
/// NETOOPS_KEEP_KERNEL_ARTIFACTS=1 asks to keep it.
/// </summary>
public sealed class ScenarioLog : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StreamWriter _steps;
    private bool _passed;
    private bool _closed;

    public ScenarioLog(ITestOutputHelper output, string scenario)
    {
        _output = output;
        Folder = Path.Combine(AppContext.BaseDirectory, "kernel-artifacts",
            $"{scenario}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(Folder);
        _steps = new StreamWriter(Path.Combine(Folder, "steps.log")) { AutoFlush = true };
        Step($"artefacts in {Folder}");
    }

    public string Folder { get; }

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    public void Step(string message)
    {
        var line = $"[{_clock.Elapsed.TotalSeconds,8:F2}s] {message}";
        // The collector and agent under test log steps from their own threads.
        lock (_steps)
        {
            if (_closed)
                return;
            _steps.WriteLine(line);
        }
        Tell(line);
    }

    /// <summary>Called as the test's last statement: nothing failed, the artefacts may go.</summary>
    public void Passed()
    {
        _passed = true;
        Step("scenario passed");
    }

    public void Dispose()
    {
        lock (_steps)
        {
            _closed = true;
            _steps.Dispose();
        }
        var keep = Environment.GetEnvironmentVariable("NETOOPS_KEEP_KERNEL_ARTIFACTS") == "1";
        if (_passed && !keep)
            Directory.Delete(Folder, recursive: true);
        else
            Tell($"artefacts kept in {Folder}");
    }

    private void Tell(string line)
    {
        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // A background step after the test ended has no test output left; steps.log has it.
        }
    }
}
