namespace Netoops.Collector.Storage;

/// <summary>A CPU seen in stored crashes, with the filter values that select it.</summary>
public sealed record CpuFacet(int Vendor, string VendorName, int Family, int Model, long Count);

/// <summary>
/// The values the bucket filters can take, with how many crashes carry each: what the dashboard
/// offers in its filter menus. Each list is capped at <see cref="CrashStore.MaxFacetValues"/>, most frequent first.
/// </summary>
public sealed record Facets(
    IReadOnlyList<CountBy> Kernels,
    IReadOnlyList<CountBy> Hosts,
    IReadOnlyList<CpuFacet> Cpus,
    IReadOnlyList<CountBy> Hardware,
    IReadOnlyList<CountBy> Kinds,
    IReadOnlyList<CountBy> Labels);

public sealed partial class CrashStore
{
    public const int MaxFacetValues = 200;

    public async Task<Facets> QueryFacetsAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);

        async Task<List<CountBy>> Values(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql + " ORDER BY n DESC, v LIMIT @max";
            command.AddParameter("@max", MaxFacetValues);
            var list = new List<CountBy>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) list.Add(new CountBy(reader.GetString(0), reader.Int64(1)));
            return list;
        }

        var kernels = await Values("SELECT kernel AS v, COUNT(*) AS n FROM crashes WHERE kernel <> '' GROUP BY kernel");
        var hosts = await Values("SELECT address AS v, crash_count AS n FROM hosts");
        var hardware = await Values("SELECT hardware AS v, COUNT(*) AS n FROM crashes WHERE hardware <> '' GROUP BY hardware");
        var kinds = await Values("SELECT kind AS v, SUM(crash_count) AS n FROM buckets GROUP BY kind");
        // `||` concatenates in both SQLite and PostgreSQL.
        var labels = await Values("SELECT key || '=' || value AS v, COUNT(*) AS n FROM crash_labels GROUP BY key, value");

        var cpus = new List<CpuFacet>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT cpu_vendor, cpu_family, cpu_model, COUNT(*) AS n FROM crashes WHERE cpu_vendor IS NOT NULL
                GROUP BY cpu_vendor, cpu_family, cpu_model ORDER BY n DESC, cpu_vendor, cpu_family, cpu_model LIMIT @max
                """;
            command.AddParameter("@max", MaxFacetValues);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var vendor = (int)r.Int64(0);
                cpus.Add(new CpuFacet(vendor, CpuVendors.Name(vendor), (int)r.Int64(1), (int)r.Int64(2), r.Int64(3)));
            }
        }
        return new Facets(kernels, hosts, cpus, hardware, kinds, labels);
    }
}
