using System.CommandLine;
using System.Text;
using System.Text.Json;
using Netoops.Analysis;

namespace Netoops.Cli.Commands;

/// <summary><c>netoops analyze FILE... [--text]</c>: find, title and bucket the crash in each console log.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Console logs (serial console, netconsole, dmesg, pstore records) to analyse",
            Arity = ArgumentArity.OneOrMore,
        };
        var text = new Option<bool>("--text") { Description = "Print a readable summary instead of JSON Lines" };
        var command = new Command("analyze",
            "Find the first kernel crash report in each file; print one JSON line per file with its title, " +
            "bucket, kind, frames, registers, hardware and kernel");
        command.Arguments.Add(files);
        command.Options.Add(text);
        command.SetAction(parseResult =>
        {
            var paths = parseResult.GetValue(files) ?? [];
            bool asText = parseResult.GetValue(text);
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            int failures = 0;
            foreach (var path in paths)
            {
                string content;
                try
                {
                    content = ReadText(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"netoops analyze: cannot read {path}: {e.Message}");
                    failures++;
                    continue;
                }
                var report = CrashAnalyzer.Analyze(content);
                if (asText)
                    AnalysisText.Write(stdout, path, report);
                else
                    AnalysisJson.Write(stdout, path, report);
            }
            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    // Console logs carry arbitrary bytes; invalid UTF-8 becomes U+FFFD instead of an error.
    private static string ReadText(string path) =>
        new UTF8Encoding(false, false).GetString(File.ReadAllBytes(path));
}
