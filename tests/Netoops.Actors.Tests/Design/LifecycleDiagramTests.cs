using Netoops.Actors.Targets;

namespace Netoops.Actors.Tests.Design;

/// <summary>
/// The diagrams in design/ are generated from the machine definition. When the machine changes,
/// these tests fail until the diagrams are regenerated:
/// <c>NETOOPS_UPDATE_DESIGN=1 dotnet test tests/Netoops.Actors.Tests --filter LifecycleDiagram</c>.
/// </summary>
public class LifecycleDiagramTests
{
    public static TheoryData<string> Diagrams => ["target-lifecycle.dot", "target-lifecycle.mmd"];

    [Theory]
    [MemberData(nameof(Diagrams))]
    public void The_committed_lifecycle_diagram_matches_the_machine(string file)
    {
        var generated = Normalize(file.EndsWith(".dot") ? TargetLifecycle.ToDotGraph() : TargetLifecycle.ToMermaidGraph());
        var path = Path.Combine(RepoRoot(), "design", file);
        if (Environment.GetEnvironmentVariable("NETOOPS_UPDATE_DESIGN") == "1")
            File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing; regenerate with NETOOPS_UPDATE_DESIGN=1");
        Assert.True(Normalize(File.ReadAllText(path)) == generated,
            $"design/{file} is stale: the lifecycle machine changed. Regenerate with " +
            "NETOOPS_UPDATE_DESIGN=1 dotnet test tests/Netoops.Actors.Tests --filter LifecycleDiagram");
    }

    [Fact]
    public void The_diagram_shows_every_state_and_the_guarded_setup_outcomes()
    {
        var dot = TargetLifecycle.ToDotGraph();
        foreach (var state in Enum.GetNames<TargetState>()) Assert.Contains(state, dot);
        Assert.Contains("device gone or dropped meanwhile", dot);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Netoops.Actors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Netoops.Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
