using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Netoops.Collector.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for one test class: `initdb` into a temp folder as the
/// `postgres` user, `pg_ctl start` on a free loopback port, stopped and deleted on dispose.
/// Each <see cref="CreateDatabaseAsync"/> gives a test a fresh empty database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private string _bin = "";
    private int _databases;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d).Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (.ci/install installs the postgresql package)");
        Directory.CreateDirectory(_dir);
        await Run("chown", "postgres", _dir);
        Port = FreePort();
        await AsPostgres("initdb", "-D", $"{_dir}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await AsPostgres("pg_ctl", "-D", $"{_dir}/data", "-l", $"{_dir}/log", "-w", "-t", "60",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    public async Task DisposeAsync()
    {
        try { await AsPostgres("pg_ctl", "-D", $"{_dir}/data", "-m", "immediate", "-w", "stop"); }
        finally { Directory.Delete(_dir, recursive: true); }
    }

    /// <summary>A new empty database; returns its `postgres://` URL.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}";
        await AsPostgres("createdb", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", name);
        return $"postgres://postgres@127.0.0.1:{Port}/{name}";
    }

    private Task AsPostgres(string tool, params string[] arguments) =>
        Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]);

    private static async Task Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
