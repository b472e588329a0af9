using System.Text.Json;

namespace Netoops.Agent.Tests.Process;

/// <summary>`netoops status` as text and as JSON, from one real agent: the two tell the same story.</summary>
[Collection("agent processes")]
public class AgentStatusTextTests
{
    [Fact]
    public async Task The_text_status_shows_a_dump_refused_by_the_rate_limit_as_refused_as_the_json_does()
    {
        using var dir = new TempDirectory();
        using var agent = await AgentProcess.StartAsync(dir);

        // No target: the first soft dump is spooled; the second, within the 5 s rate limit, is refused.
        var first = agent.Cli("dump", "--soft");
        var second = agent.Cli("dump", "--soft");
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Stderr + second.Stderr);
        Assert.Contains("spooled", first.Stdout);
        Assert.Contains("refused: rate limited", second.Stdout);

        var text = agent.Cli("status").Stdout.Split('\n').SkipWhile(l => l != "recent dumps:").Skip(1)
            .Where(l => l.Length > 0).ToList();
        using var json = JsonDocument.Parse(agent.Cli("status", "--json").Stdout);
        var dumps = json.RootElement.GetProperty("RecentDumps").EnumerateArray().ToList();

        Assert.Equal(dumps.Count, text.Count);
        foreach (var (line, dump) in text.Zip(dumps))
        {
            var spooled = dump.GetProperty("Spooled").GetBoolean();
            var refused = dump.GetProperty("Refused").ValueKind == JsonValueKind.String;
            var fate = spooled ? "spooled" : refused ? "refused: " + dump.GetProperty("Refused").GetString() : "sent";
            Assert.Contains($" {fate}", line);
            if (!spooled && refused) Assert.DoesNotContain(" sent", line);
        }
        Assert.Contains(text, l => l.Contains("refused: rate limited", StringComparison.Ordinal));
    }
}
