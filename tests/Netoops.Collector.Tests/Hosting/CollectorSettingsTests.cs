using System.Net;
using Netoops.Collector.Hosting;

namespace Netoops.Collector.Tests.Hosting;

public sealed class CollectorSettingsTests
{
    [Fact]
    public void With_nothing_set_the_defaults_are_those_the_issue_names()
    {
        var options = new CollectorSettings().ToOptions();
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:2004"), options.Netoops);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:6666"), options.Netconsole);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:8080"), options.Http);
        Assert.Equal("sqlite:./data/netoops.db", options.Database);
        Assert.Equal(8 << 20, options.ReceiveBufferBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DumpTimeout);
    }

    [Fact]
    public void Flags_win_over_the_config_file_which_wins_over_defaults()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{ "netoops": "0.0.0.0:2005", "db": "sqlite:/tmp/x.db", "allow": ["10.0.0.0/8"] }""");
        try
        {
            var options = new CollectorSettings { Netoops = "[::]:2006" }.Over(CollectorSettings.Load(file)).ToOptions();
            Assert.Equal(IPEndPoint.Parse("[::]:2006"), options.Netoops);
            Assert.Equal("sqlite:/tmp/x.db", options.Database);
            Assert.Equal(["10.0.0.0/8"], options.Allow);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void The_tuning_settings_reach_the_options_from_the_file_and_the_flags()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{ "dump_shards": 3, "analysts": 2, "analysis_backlog_bytes": 4194304 }""");
        try
        {
            var options = new CollectorSettings { Analysts = 5, StoreQueueBytes = 8 << 20 }.Over(CollectorSettings.Load(file)).ToOptions();
            Assert.Equal((3, 5, 4L << 20, 8L << 20), (options.DumpShards, options.DumpAnalysts, options.AnalysisBacklogBytes, options.StoreQueueBytes));
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData(0, null, null, "dump_shards")]
    [InlineData(null, 65, null, "analysts")]
    [InlineData(null, null, 1024L, "analysis_backlog_bytes")]
    public void Tuning_values_out_of_range_are_refused_naming_the_setting(int? shards, int? analysts, long? backlog, string named)
    {
        var error = Assert.Throws<FormatException>(() =>
            new CollectorSettings { DumpShards = shards, Analysts = analysts, AnalysisBacklogBytes = backlog }.ToOptions());
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("""{ "netoop": "1.2.3.4:5" }""", "netoop")]
    [InlineData("""{ "rcvbuf": "big" }""", "rcvbuf")]
    public void A_config_file_with_unknown_or_mistyped_settings_is_refused_naming_them(string json, string named)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, json);
        try { Assert.Contains(named, Assert.Throws<FormatException>(() => CollectorSettings.Load(file)).Message); }
        finally { File.Delete(file); }
    }

    [Fact]
    public void An_unknown_database_url_is_refused_before_anything_starts() =>
        Assert.Contains("mysql://x", Assert.Throws<FormatException>(() => new CollectorSettings { Db = "mysql://x" }.ToOptions()).Message);

    [Theory]
    [InlineData("localhost:2004")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    public void An_address_without_a_usable_port_is_refused(string text) =>
        Assert.Throws<FormatException>(() => new CollectorSettings { Netoops = text }.ToOptions());
}
