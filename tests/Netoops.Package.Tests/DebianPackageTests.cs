using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Netoops.Package.Tests;

/// <summary>
/// The Debian package as an administrator meets it: packaging/deb/build-deb.sh builds it, dpkg -i
/// installs it, the installed collector and agent run with the command lines and users of the
/// installed units (read from the unit files, so test and units cannot drift), a soft dump asked
/// for with the installed CLI is stored by the collector, then dpkg -r leaves only the conffiles
/// and dpkg -P removes those, the user and the state. systemd is not PID 1 here, so the test does
/// what it would: creates the units' StateDirectory/RuntimeDirectory, switches to the unit's User,
/// and, for the agent's Type=notify, listens on a NOTIFY_SOCKET for READY=1. The package is purged
/// at the end whatever happened.
/// </summary>
public sealed class DebianPackageTests(ITestOutputHelper output)
{
    private const string Package = "netoops";
    private const string UnitDir = "/lib/systemd/system";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task The_package_installs_runs_its_units_command_lines_and_removes_down_to_its_conffiles()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "dpkg -i needs root on Linux");
        Skip.If(Run("sh", "-c", "command -v dpkg && command -v dpkg-deb && command -v setpriv").ExitCode != 0, "dpkg, dpkg-deb or setpriv missing");
        Skip.If(Status() is { } before && before.Length > 0, $"a {Package} package is already on this machine ({Status()}); the test would replace it");

        using var dir = new TempDirectory();
        var started = Stopwatch.StartNew();
        var build = Run("bash", [Path.Combine(RepoRoot(), "packaging", "deb", "build-deb.sh"), Path.Combine(dir.Path, "out")], TimeSpan.FromMinutes(30));
        output.WriteLine($"build-deb.sh: {started.Elapsed.TotalSeconds:F0} s\n{build.Stderr}");
        Assert.True(build.ExitCode == 0, $"build-deb.sh failed:\n{build.Stderr}\n{build.Stdout}");
        var deb = build.Stdout.Trim().Split('\n')[^1];
        Assert.Matches(@"/netoops_[0-9][^/]*_amd64\.deb$", deb);

        var processes = new List<Process>();
        try
        {
            Check(Run("dpkg", "-i", deb), "dpkg -i");
            Assert.Equal("install ok installed", Status());

            var version = Run("/usr/bin/netoops", "--version");
            Assert.True(version.ExitCode == 0, version.Stderr);
            Assert.Contains(Path.GetFileName(deb).Split('_')[1], version.Stdout);

            var passwd = Run("getent", "passwd", "netoops");
            Assert.True(passwd.ExitCode == 0, "postinst created no user netoops");
            Assert.EndsWith(":/usr/sbin/nologin", passwd.Stdout.Trim());

            var conffiles = Conffiles();
            Assert.Equal(["/etc/netoops/agent.json", "/etc/netoops/collector.json"], conffiles.Order());

            var collectorUnit = Unit.Read(Path.Combine(UnitDir, "netoops-collector.service"));
            var agentUnit = Unit.Read(Path.Combine(UnitDir, "netoops-agent.service"));
            Assert.Equal("notify", agentUnit["Type"]);
            Assert.Equal("netoops", collectorUnit["User"]);

            // The administrator's edits of the conffiles: ports of this test's own (nothing else may
            // listen on the shipped defaults), the agent's targets at this collector, no real pstore.
            var netoopsPort = FreeUdpPort();
            var netconsolePort = FreeUdpPort();
            var httpPort = FreeTcpPort();
            var collectorConfig = collectorUnit.ConfigFile();
            var collectorJson = JsonNode.Parse(File.ReadAllText(collectorConfig))!.AsObject();
            collectorJson["netoops"] = $"127.0.0.1:{netoopsPort}";
            collectorJson["netconsole"] = $"127.0.0.1:{netconsolePort}";
            collectorJson["http"] = $"127.0.0.1:{httpPort}";
            File.WriteAllText(collectorConfig, collectorJson.ToJsonString());
            var agentConfig = agentUnit.ConfigFile();
            var agentJson = JsonNode.Parse(File.ReadAllText(agentConfig))!.AsObject();
            var agent = agentJson["Agent"]!.AsObject();
            agent["Netoops"] = $"{FreeUdpPort()}@127.0.0.1/lo,{netoopsPort}@127.0.0.1/";
            agent["Netconsole"] = $"+{FreeUdpPort()}@127.0.0.1/lo,{netconsolePort}@127.0.0.1/";
            agent["PstoreFolders"] = new JsonArray(Path.Combine(dir.Path, "no-pstore"));
            agent["MetricsPort"] = FreeTcpPort();
            File.WriteAllText(agentConfig, agentJson.ToJsonString());

            // The collector as its unit runs it.
            collectorUnit.PrepareDirectories();
            var collectorLog = new StringBuilder();
            var collector = Start(collectorUnit, dir.Path, collectorLog, notifySocket: null);
            processes.Add(collector);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            await Until(async () => (await http.GetAsync("api/buckets")).IsSuccessStatusCode, "the collector's API", collector, collectorLog);
            Assert.Equal(Uid("netoops"), ProcessUid(collector.Id));

            // The agent as its unit runs it: Type=notify, so it is up when READY=1 arrives.
            agentUnit.PrepareDirectories();
            var notifyPath = Path.Combine(dir.Path, "notify");
            using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
            var agentLog = new StringBuilder();
            var sinceStart = Stopwatch.StartNew();
            var agentProcess = Start(agentUnit, dir.Path, agentLog, notifyPath);
            processes.Add(agentProcess);
            var ready = await ReadyAsync(notify, agentProcess, agentLog);
            output.WriteLine($"agent: start to READY=1 {ready ?? sinceStart.Elapsed.TotalMilliseconds:F0} ms");

            var dump = Run("/usr/bin/netoops", "dump", "--soft");
            Assert.True(dump.ExitCode == 0, $"netoops dump --soft: {dump.Stderr}{dump.Stdout}\n{agentLog}");
            await Until(async () =>
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync("api/buckets"));
                return doc.RootElement.GetProperty("buckets").EnumerateArray()
                    .Any(b => b.GetProperty("kind").GetString() == "soft" && b.GetProperty("crashes").GetInt32() == 1);
            }, "the soft dump to be stored", collector, collectorLog);
            var db = collectorJson["db"]!.GetValue<string>()["sqlite:".Length..];
            Assert.Equal("netoops", Run("stat", "-c", "%U", db).Stdout.Trim());

            foreach (var process in processes) Stop(process);
            processes.Clear();

            // dpkg -r: every file of the package is gone but the conffiles.
            var files = Run("dpkg-query", "-L", Package).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Check(Run("dpkg", "-r", Package), "dpkg -r");
            Assert.Equal("deinstall ok config-files", Status());
            var left = files.Where(path => Leftover(path, conffiles)).ToList();
            Assert.True(left.Count == 0, $"dpkg -r left: {string.Join(", ", left)}");
            Assert.All(conffiles, path => Assert.True(File.Exists(path), $"{path} (conffile) was removed by dpkg -r"));

            // dpkg -P: the conffiles, the user and the state go too.
            Check(Run("dpkg", "-P", Package), "dpkg -P");
            Assert.Equal("", Status());
            Assert.False(Directory.Exists("/etc/netoops"), "/etc/netoops is still there after purge");
            Assert.NotEqual(0, Run("getent", "passwd", "netoops").ExitCode);
            Assert.NotEqual(0, Run("getent", "group", "netoops").ExitCode);
            Assert.False(Directory.Exists("/var/lib/netoops"), "/var/lib/netoops is still there after purge");
        }
        finally
        {
            foreach (var process in processes) Stop(process);
            if (Status() is { Length: > 0 }) Run("dpkg", "-P", Package);
        }
    }

    /// <summary>A path of the package still there after dpkg -r: a file or link that is not a conffile, or a directory no other package owns.</summary>
    private static bool Leftover(string path, IReadOnlyList<string> conffiles)
    {
        if (path == "/." || conffiles.Contains(path)) return false;
        // A directory (or a link to one, as /lib is on a merged-/usr system) stays when it holds a
        // conffile or another package owns it too.
        if (Directory.Exists(path))
            return !conffiles.Any(c => c.StartsWith(path + "/", StringComparison.Ordinal))
                   && new FileInfo(path).LinkTarget is null
                   && Run("dpkg-query", "-S", path).ExitCode != 0;
        var info = new FileInfo(path);
        return info.LinkTarget is not null || info.Exists;
    }

    /// <summary>Starts a unit's ExecStart as systemd would: its User, a clean environment, and for Type=notify a parent called systemd (what .NET's systemd detection checks) and NOTIFY_SOCKET.</summary>
    private static Process Start(Unit unit, string dir, StringBuilder log, string? notifySocket)
    {
        var user = unit.Get("User") ?? "root";
        var command = unit.ExecStart();
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        var passwd = Run("getent", "passwd", user).Stdout.Trim().Split(':');
        start.Environment["USER"] = start.Environment["LOGNAME"] = user;
        start.Environment["HOME"] = passwd[5];
        start.Environment["SHELL"] = passwd[6];
        if (notifySocket is not null) start.Environment["NOTIFY_SOCKET"] = notifySocket;

        // A parent named systemd (a link to sh) that starts the command as the unit's user and stays
        // its parent; setpriv then execs it, so the parent's child is the service itself.
        var systemd = Path.Combine(dir, "systemd");
        if (!File.Exists(systemd)) File.CreateSymbolicLink(systemd, "/bin/sh");
        var pidFile = Path.Combine(dir, $"{Path.GetFileName(unit.Path)}.pid");
        File.Delete(pidFile);
        start.FileName = systemd;
        foreach (var arg in new[] { "-c", "\"$@\" & echo $! > \"$PIDFILE\"; trap 'kill -TERM $!' TERM; wait $!", "systemd",
                     "setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "--" })
            start.ArgumentList.Add(arg);
        foreach (var arg in command) start.ArgumentList.Add(arg);
        start.Environment["PIDFILE"] = pidFile;
        var parent = Process.Start(start)!;
        parent.StandardInput.Close();
        parent.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        parent.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        parent.BeginOutputReadLine();
        parent.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0) && DateTime.UtcNow < deadline) Thread.Sleep(10);
        return Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim()));
    }

    /// <summary>Milliseconds until READY=1 on the notify socket, measured from the process's start time.</summary>
    private static async Task<double?> ReadyAsync(Socket notify, Process process, StringBuilder log)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                var n = await notify.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (Encoding.UTF8.GetString(buffer, 0, n).Split('\n').Contains("READY=1"))
                    return (DateTime.Now - process.StartTime).TotalMilliseconds;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no READY=1 from the agent within {Patience.TotalSeconds} s (Type=notify):\n{Snapshot(log)}");
            return null;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (process.HasExited) return;
            Run("kill", "-TERM", process.Id.ToString());
            if (!process.WaitForExit(15_000)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
    }

    private static async Task Until(Func<Task<bool>> condition, string what, Process process, StringBuilder log)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"the process exited while waiting for {what}:\n{Snapshot(log)}");
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        Assert.Fail($"gave up waiting for {what}:\n{Snapshot(log)}");
    }

    private static string Snapshot(StringBuilder log) { lock (log) return log.ToString(); }

    /// <summary>dpkg's view of the package: "" when unknown, else e.g. "install ok installed".</summary>
    private static string Status()
    {
        var status = Run("dpkg-query", "-W", "-f=${Status}", Package);
        return status.ExitCode == 0 && !status.Stdout.Contains("not-installed") ? status.Stdout.Trim() : "";
    }

    private static List<string> Conffiles()
        => Run("dpkg-query", "-W", "-f=${Conffiles}", Package).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split(' ')[0]).ToList();

    private static string Uid(string user) => Run("id", "-u", user).Stdout.Trim();

    private static string ProcessUid(int pid)
        => File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    private static void Check((int ExitCode, string Stdout, string Stderr) result, string what)
        => Assert.True(result.ExitCode == 0, $"{what} exited {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}");

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] args)
        => Run(file, args, TimeSpan.FromMinutes(2));

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, stderr.Result + $"\n(killed after {timeout})");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Netoops.Actors.sln")))
                return folder.FullName;
        throw new DirectoryNotFoundException($"no Netoops.Actors.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The [Service] settings of an installed unit file.</summary>
    private sealed class Unit
    {
        private readonly Dictionary<string, string> _service = new(StringComparer.Ordinal);

        public string Path { get; }

        private Unit(string path) => Path = path;

        public static Unit Read(string path)
        {
            var unit = new Unit(path);
            var section = "";
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is '#' or ';') continue;
                if (line[0] == '[') { section = line; continue; }
                var eq = line.IndexOf('=');
                if (section == "[Service]" && eq > 0) unit._service[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
            return unit;
        }

        public string this[string key] => Get(key) ?? throw new KeyNotFoundException($"{Path} has no {key}=");

        public string? Get(string key) => _service.GetValueOrDefault(key);

        /// <summary>ExecStart's words (the units quote nothing).</summary>
        public string[] ExecStart() => this["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The file after ExecStart's --config.</summary>
        public string ConfigFile()
        {
            var words = ExecStart();
            var at = Array.IndexOf(words, "--config");
            Assert.True(at > 0 && at + 1 < words.Length, $"{Path}: ExecStart has no --config FILE");
            return words[at + 1];
        }

        /// <summary>What systemd creates before ExecStart: StateDirectory under /var/lib, RuntimeDirectory under /run, owned by User, with their modes.</summary>
        public void PrepareDirectories()
        {
            var user = Get("User") ?? "root";
            foreach (var (key, root) in new[] { ("StateDirectory", "/var/lib"), ("RuntimeDirectory", "/run") })
            {
                if (Get(key) is not { } names) continue;
                var mode = Get(key + "Mode") ?? "0755";
                foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var path = System.IO.Path.Combine(root, name);
                    Directory.CreateDirectory(path);
                    Run("chown", $"{user}:", path);
                    Run("chmod", mode, path);
                }
            }
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("netoops-package-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
