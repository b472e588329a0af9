using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class PrometheusTextTests
{
    private const string Exposition = """
        # HELP netoops_ingest_datagrams_total Datagrams received.
        # TYPE netoops_ingest_datagrams_total counter
        netoops_ingest_datagrams_total{channel="netoops"} 0
        netoops_ingest_datagrams_total{channel="netconsole"} 1824
        netoops_netconsole_crashes_total 8
        netoops_netconsole_crashes_total_extra 3
        """;

    [Fact]
    public void A_sample_is_found_by_its_exact_name_and_labels()
    {
        var metrics = new PrometheusText(Exposition);

        Assert.Equal(1824, metrics.Value("netoops_ingest_datagrams_total{channel=\"netconsole\"}"));
        Assert.Equal(8, metrics.Value("netoops_netconsole_crashes_total"));
    }

    [Fact]
    public void A_missing_sample_fails_the_test_naming_it()
    {
        var metrics = new PrometheusText(Exposition);

        var failure = Assert.ThrowsAny<Exception>(() => metrics.Value("netoops_dumps_complete_total"));
        Assert.Contains("netoops_dumps_complete_total", failure.Message);
    }
}
