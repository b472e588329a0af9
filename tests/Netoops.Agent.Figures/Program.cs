using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Protocol.Packets;

// Figures of issue 6, measured on a real `netoops agent` process over loopback UDP:
//   oops end → first packet (p50/p90/p99/max), idle RSS and CPU, netconsole records/s to 2 extended
//   targets. Each figure is printed with the load average, because the machine may be shared.
//   and start to ready (process start → the management socket answers GET /v1/status).
// Run: dotnet run -c Release --project tests/Netoops.Agent.Figures [-- DUMPS RECORDS IDLE_SECONDS]
// NETOOPS_BINARY=PATH measures that netoops executable (e.g. the package's single file, see
// packaging/deb/build-deb.sh) instead of the framework-dependent build beside this program.
var dumps = args.Length > 0 ? int.Parse(args[0]) : 200;
var records = args.Length > 1 ? int.Parse(args[1]) : 50_000;
var idleSeconds = args.Length > 2 ? int.Parse(args[2]) : 30;

var dir = Directory.CreateTempSubdirectory("netoops-figures-").FullName;
var fifo = Path.Combine(dir, "kmsg");
Process.Start("mkfifo", fifo)!.WaitForExit();

using var netoops = Receiver();
using var console1 = Receiver();
using var console2 = Receiver();
var agent = StartAgent();
try
{
    var socket = Path.Combine(dir, "agent.sock");
    StartToReady(agent, socket);
    using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    Thread.Sleep(10_000); // let start-up work (analysis warm-up, JIT tiering) finish

    Idle(agent.Id);
    Latency(writer);
    Throughput(writer);
}
finally
{
    agent.Kill(entireProcessTree: true);
    agent.WaitForExit();
    Directory.Delete(dir, recursive: true);
}
return 0;

Process StartAgent()
{
    var binary = Environment.GetEnvironmentVariable("NETOOPS_BINARY");
    var start = new ProcessStartInfo(binary ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    if (binary is null) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netoops.dll"));
    Console.WriteLine($"agent: {binary ?? "dotnet netoops.dll (framework-dependent)"}" +
                      (File.Exists(binary) ? $", {new FileInfo(binary).Length / 1e6:F1} MB" : ""));
    foreach (var a in new[]
             {
                 "agent", "--kmsg", fifo,
                 "--socket", Path.Combine(dir, "agent.sock"), "--state-dir", Path.Combine(dir, "state"),
                 "--netoops", $"7100@127.0.0.1/lo,{Port(netoops)}@127.0.0.1/",
                 "--netconsole", $"+7101@127.0.0.1/lo,{Port(console1)}@127.0.0.1/;+7102@127.0.0.1/lo,{Port(console2)}@127.0.0.1/",
             })
        start.ArgumentList.Add(a);
    start.Environment["NETOOPS_Agent__DumpRateLimitSeconds"] = "0";       // one dump per iteration
    start.Environment["NETOOPS_Agent__NetconsoleRatePerSecond"] = "1e9";  // measure the pipeline, not the bucket
    start.Environment["NETOOPS_Agent__NetconsoleBurst"] = "1000000";
    start.Environment["NETOOPS_Agent__PstoreFolders__0"] = Path.Combine(dir, "no-pstore");
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

// Process start (its /proc start time) → the first answered GET /v1/status on the management socket.
void StartToReady(Process process, string socket)
{
    using var http = new HttpClient(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
            return new NetworkStream(s, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://agent/"), Timeout = TimeSpan.FromSeconds(5) };
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline)
    {
        if (File.Exists(socket))
        {
            try
            {
                if (http.GetAsync("v1/status").Result.IsSuccessStatusCode) break;
            }
            catch (AggregateException) { }
        }
        Thread.Sleep(2);
    }
    var ready = DateTime.Now - process.StartTime;
    Console.WriteLine($"start to ready (management socket answers): {ready.TotalMilliseconds:F0} ms [{Load()}]");
}

void Idle(int pid)
{
    var (ticks0, _) = ProcStat(pid);
    Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
    var (ticks1, rssKb) = ProcStat(pid);
    var cpu = (ticks1 - ticks0) / 100.0 / idleSeconds * 100; // USER_HZ = 100
    Console.WriteLine($"idle: RSS {rssKb / 1024.0:F1} MiB ({rssKb * 1024 / 1e6:F1} MB; {Rss(pid)}), CPU {cpu:F2}% of one core over {idleSeconds} s [{Load()}]");
}

void Latency(FileStream writer)
{
    var arrivals = new System.Collections.Concurrent.BlockingCollection<long>();
    var thread = new Thread(() =>
    {
        var buffer = new byte[2048];
        while (true)
        {
            int n;
            try { n = netoops.Client.Receive(buffer); } catch (SocketException) { return; } catch (ObjectDisposedException) { return; }
            var now = Stopwatch.GetTimestamp();
            if (NetoopsPacket.TryDecode(buffer.AsSpan(0, n), out _) == PacketError.None) arrivals.Add(now);
        }
    }) { IsBackground = true };
    thread.Start();
    // This process's own receive path is compiled before the first measurement, not during it.
    NetoopsPacket.TryDecode(new byte[64], out _);
    arrivals.Add(Stopwatch.GetTimestamp());
    arrivals.TryTake(out _, TimeSpan.FromMilliseconds(1));
    Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp());

    var latencies = new List<double>();
    var loadBefore = Load();
    var sequence = 1_000;
    for (var i = 0; i < dumps; i++)
    {
        // Measure from an idle pipeline: the previous dump's rounds (3 × its packets, ~256 KiB of log
        // once the ring is full) must have left the agent and this receiver, i.e. 20 ms of silence.
        while (arrivals.TryTake(out _, TimeSpan.FromMilliseconds(20))) { }
        // The report's lines, then its end marker on its own (well within the 250 ms after which a
        // report without one counts as complete).
        var lines = Oops(i);
        foreach (var line in lines[..^1]) Write(writer, Record(ref sequence, line));
        Thread.Sleep(10);
        var t0 = Stopwatch.GetTimestamp();
        Write(writer, Record(ref sequence, lines[^1]));
        if (!arrivals.TryTake(out var t1, TimeSpan.FromSeconds(5))) { Console.WriteLine($"dump {i}: no packet within 5 s"); continue; }
        latencies.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
        Thread.Sleep(30);
    }
    // The first dump runs the dump path's code for the first time; reported apart, kept in the percentiles.
    var first = latencies.Count > 0 ? latencies[0] : double.NaN;
    latencies.Sort();
    Console.WriteLine($"oops end → first packet over {latencies.Count} dumps: p50 {Percentile(latencies, 50):F2} ms, " +
                      $"p90 {Percentile(latencies, 90):F2} ms, p99 {Percentile(latencies, 99):F2} ms, max {latencies[^1]:F2} ms, first {first:F2} ms " +
                      $"[{loadBefore} before, {Load()} after]");
}

void Throughput(FileStream writer)
{
    Thread.Sleep(1000);
    Drain(console1);
    Drain(console2);
    long last = 0;
    var counts = new int[2];
    var threads = new[] { console1, console2 }.Select((udp, k) => new Thread(() =>
    {
        var buffer = new byte[2048];
        udp.Client.ReceiveTimeout = 5000;
        while (counts[k] < records)
        {
            try { udp.Client.Receive(buffer); } catch (SocketException) { return; }
            counts[k]++;
            Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
        }
    })).ToList();
    threads.ForEach(t => t.Start());

    var sequence = 500_000;
    var batch = new MemoryStream();
    var t0 = Stopwatch.GetTimestamp();
    for (var i = 0; i < records; i++)
    {
        var bytes = Record(ref sequence, $"[{i / 1000,5}.{i % 1000:D6}] stream record {i} of the throughput run");
        batch.Write(bytes);
        if (batch.Length > 32 * 1024) { writer.Write(batch.GetBuffer(), 0, (int)batch.Length); writer.Flush(); batch.SetLength(0); }
    }
    writer.Write(batch.GetBuffer(), 0, (int)batch.Length);
    writer.Flush();
    threads.ForEach(t => t.Join());
    var seconds = Stopwatch.GetElapsedTime(t0, Interlocked.Read(ref last)).TotalSeconds;
    Console.WriteLine($"netconsole streaming to 2 extended targets: {records} records in {seconds:F2} s = {records / seconds:F0} records/s per target " +
                      $"(received {counts[0]} and {counts[1]}) [{Load()}]");
}

static UdpClient Receiver()
{
    var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
    udp.Client.ReceiveBufferSize = 16 * 1024 * 1024;
    return udp;
}

static int Port(UdpClient udp) => ((IPEndPoint)udp.Client.LocalEndPoint!).Port;

static void Drain(UdpClient udp)
{
    while (udp.Available > 0) udp.Client.Receive(new byte[2048]);
}

static void Write(FileStream writer, byte[] record)
{
    writer.Write(record);
    writer.Flush();
}

// "[   12.000001] text" → a /dev/kmsg record.
static byte[] Record(ref int sequence, string dmesgLine)
{
    var close = dmesgLine.IndexOf(']');
    var stamp = dmesgLine[1..close].Trim().Split('.');
    var micros = ulong.Parse(stamp[0]) * 1_000_000 + ulong.Parse(stamp[1]);
    return Encoding.UTF8.GetBytes($"4,{sequence++},{micros},-;{dmesgLine[(close + 2)..]}\n");
}

static string[] Oops(int i) =>
[
    $"[{100 + i,5}.000001] BUG: kernel NULL pointer dereference, address: 0000000000000000",
    $"[{100 + i,5}.000002] Oops: 0002 [#{i + 1}] PREEMPT SMP NOPTI",
    $"[{100 + i,5}.000003] CPU: 0 PID: 141 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2",
    $"[{100 + i,5}.000004] RIP: 0010:provoke_oops+0x11/0x20 [provoke]",
    $"[{100 + i,5}.000005] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00010246",
    $"[{100 + i,5}.000006] RAX: 0000000000000001 RBX: 0000000000000002 RCX: 0000000000000003",
    $"[{100 + i,5}.000007] Call Trace:",
    $"[{100 + i,5}.000008]  <TASK>",
    $"[{100 + i,5}.000009]  provoke_write+0x6b/0xf0 [provoke]",
    $"[{100 + i,5}.000010]  vfs_write+0xc8/0x3f0",
    $"[{100 + i,5}.000011]  </TASK>",
    $"[{100 + i,5}.000012] ---[ end trace 0000000000000000 ]---",
];

// "load 0.42 0.80 1.10 on 2 cores": the 1, 5 and 15 minute load averages.
static string Load() => $"load {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3])} on {Environment.ProcessorCount} cores";

static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

// "anonymous 17.2 MiB, file 58.0 MiB": RssAnon and RssFile of /proc/PID/status.
static string Rss(int pid)
{
    var status = File.ReadLines($"/proc/{pid}/status").ToList();
    double Kb(string key) => long.Parse(status.First(l => l.StartsWith(key)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    return $"anonymous {Kb("RssAnon:"):F1} MiB, file {Kb("RssFile:"):F1} MiB";
}

static (long Ticks, long RssKb) ProcStat(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
    var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:"));
    return (ticks, long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
}
