using Microsoft.Data.Sqlite;
using Npgsql;

namespace Netoops.Collector.Storage;

/// <summary>Which database engine a <see cref="StoreLocation"/> points at.</summary>
public enum StoreEngine { Sqlite, Postgres }

/// <summary>
/// Where crashes are stored, parsed from the `--db` option: `sqlite:PATH` or a PostgreSQL URL
/// (`postgres://user:password@host:port/database?key=value`).
/// </summary>
public sealed record StoreLocation(StoreEngine Engine, string ConnectionString, string Display)
{
    public const string Default = "sqlite:./data/netoops.db";

    public static StoreLocation Parse(string url)
    {
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            return Sqlite(url["sqlite:".Length..]);
        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return Postgres(url);
        throw new FormatException($"unknown database '{url}': expected sqlite:PATH or postgres://user:password@host:port/database");
    }

    public static StoreLocation Sqlite(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new FormatException("sqlite: needs a file path, e.g. sqlite:./data/netoops.db");
        var full = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        };
        return new StoreLocation(StoreEngine.Sqlite, builder.ToString(), "sqlite:" + full);
    }

    private static StoreLocation Postgres(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"bad PostgreSQL URL '{url}'");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        // Query parameters are passed through as connection-string keywords (sslmode, timeout...).
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try { builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true"; }
            catch (ArgumentException e) { throw new FormatException($"bad PostgreSQL URL parameter '{kv[0]}': {e.Message}"); }
        }
        var display = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        return new StoreLocation(StoreEngine.Postgres, builder.ToString(), display);
    }
}
