using System.CommandLine;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Netoops.Cli.Commands;

/// <summary>`netoops crashes top|show|export`: read a running collector's crashes through its JSON API.</summary>
internal static class CrashesCommand
{
    private static readonly Option<string> Url = new("--url")
    {
        Description = "The collector's HTTP address",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the API's JSON instead of a table" };

    /// <summary>Filters of GET /api/buckets, shared by top and export.</summary>
    private static readonly (Option<string?> Option, string Query)[] Filters =
    [
        (new Option<string?>("--from") { Description = "Only crashes received at or after this time (ISO 8601)" }, "from"),
        (new Option<string?>("--to") { Description = "Only crashes received before this time (ISO 8601)" }, "to"),
        (new Option<string?>("--kernel") { Description = "Exact kernel release, e.g. 6.1.0-56-cloud-amd64" }, "kernel"),
        (new Option<string?>("--cpu-vendor") { Description = "CPU vendor name (Intel, AMD, ...) or code" }, "cpu_vendor"),
        (new Option<string?>("--cpu-family") { Description = "CPU family number" }, "cpu_family"),
        (new Option<string?>("--cpu-model") { Description = "CPU model number" }, "cpu_model"),
        (new Option<string?>("--hardware") { Description = "Text in the hardware name" }, "hardware"),
        (new Option<string?>("--board") { Description = "Text in the board name" }, "board"),
        (new Option<string?>("--bios") { Description = "Text in the BIOS version/date" }, "bios"),
        (new Option<string?>("--host") { Description = "Sender address, e.g. 10.0.0.7" }, "host"),
        (new Option<string?>("--kind") { Description = "Crash kind: oops, bug, warn, panic, hang, oom, ..." }, "kind"),
        (new Option<string?>("--search") { Description = "Text in the title" }, "q"),
    ];
    private static readonly Option<string[]> Blob = new("--blob") { Description = "User-blob label key=value (repeatable, all must match)" };

    public static Command Create()
    {
        var command = new Command("crashes", "List, show and export the crashes a collector stored (through its JSON API)");
        command.Subcommands.Add(Top());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Top()
    {
        var limit = new Option<int>("--limit") { Description = "How many buckets", DefaultValueFactory = _ => 20 };
        var command = new Command("top", "Buckets ranked by number of crashes: the big bugs first");
        AddAll(command, [Url, Json, limit, Blob, .. Filters.Select(f => f.Option)]);
        command.SetAction(async (parse, ct) => await Run(async http =>
        {
            using var response = await http.GetAsync(Query(parse, "/api/buckets", parse.GetValue(limit)), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return Fail(body);
            if (parse.GetValue(Json)) { Console.WriteLine(body); return 0; }
            var buckets = JsonDocument.Parse(body).RootElement.GetProperty("buckets");
            var rows = buckets.EnumerateArray().Select(b => new[]
            {
                b.GetProperty("id").ToString(), b.GetProperty("crashes").ToString(), b.GetProperty("hosts").ToString(),
                b.GetProperty("kind").GetString()!, b.GetProperty("last_seen").GetDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss"),
                b.GetProperty("title").GetString()!,
            }).ToList();
            if (rows.Count == 0) Console.WriteLine("no crashes match");
            else PrintTable(["BUCKET", "CRASHES", "HOSTS", "KIND", "LAST SEEN (UTC)", "TITLE"], rows);
            return 0;
        }, parse));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("crash-id") { Description = "A crash id (see `crashes export` or the bucket page)" };
        var full = new Option<bool>("--full") { Description = "Also print the whole log text received" };
        var command = new Command("show", "One crash: title, machine, registers, report");
        command.Arguments.Add(id);
        AddAll(command, [Url, Json, full]);
        command.SetAction(async (parse, ct) => await Run(async http =>
        {
            using var response = await http.GetAsync($"/api/crashes/{parse.GetValue(id)}", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return Fail(body);
            if (parse.GetValue(Json)) { Console.WriteLine(body); return 0; }
            Console.Write(Describe(JsonDocument.Parse(body).RootElement, parse.GetValue(full)));
            return 0;
        }, parse));
        return command;
    }

    private static Command Export()
    {
        var bucket = new Option<long?>("--bucket") { Description = "Only crashes of this bucket" };
        var limit = new Option<int>("--limit") { Description = "At most this many crashes, newest first", DefaultValueFactory = _ => 1000 };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Crashes as JSON lines (one full crash per line), newest first");
        AddAll(command, [Url, bucket, limit, output, Blob, .. Filters.Select(f => f.Option)]);
        command.SetAction(async (parse, ct) => await Run(async http =>
        {
            var path = Query(parse, "/api/crashes", parse.GetValue(limit));
            if (parse.GetValue(bucket) is { } b) path += $"&bucket={b}";
            using var response = await http.GetAsync(path, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return Fail(body);
            var ids = JsonDocument.Parse(body).RootElement.GetProperty("crash_ids");
            await using var writer = parse.GetValue(output) is { } file ? new StreamWriter(file.FullName) : new StreamWriter(Console.OpenStandardOutput());
            var count = 0;
            foreach (var crashId in ids.EnumerateArray())
            {
                var crash = await http.GetFromJsonAsync<JsonElement>($"/api/crashes/{crashId.GetInt64()}", ct);
                await writer.WriteLineAsync(crash.GetRawText());
                count++;
            }
            if (parse.GetValue(output) is { } written) Console.Error.WriteLine($"{count} crashes written to {written.FullName}");
            return 0;
        }, parse));
        return command;
    }

    private static string Query(ParseResult parse, string path, int limit)
    {
        var query = new StringBuilder($"{path}?limit={limit}");
        foreach (var (option, name) in Filters)
            if (parse.GetValue(option) is { Length: > 0 } value) query.Append($"&{name}={Uri.EscapeDataString(value)}");
        foreach (var label in parse.GetValue(Blob) ?? []) query.Append($"&blob={Uri.EscapeDataString(label)}");
        return query.ToString();
    }

    internal static string Describe(JsonElement c, bool full)
    {
        var text = new StringBuilder();
        string S(string name) => c.GetProperty(name).ValueKind == JsonValueKind.Null ? "" : c.GetProperty(name).ToString();
        text.AppendLine($"crash {S("id")}: {S("title")}");
        text.AppendLine($"  bucket    {S("bucket_id")} ({S("bucket_title")})");
        text.AppendLine($"  kind      {S("kind")}, from {S("origin")} {S("source")} at {S("received_at")}");
        text.AppendLine($"  kernel    {S("kernel")}");
        if (c.GetProperty("cpu") is { ValueKind: JsonValueKind.Object } cpu)
            text.AppendLine($"  cpu       {cpu.GetProperty("vendor_name")} family {cpu.GetProperty("family")} model {cpu.GetProperty("model")} stepping {cpu.GetProperty("stepping")}");
        text.AppendLine($"  hardware  {S("hardware")} {S("board")} {S("bios")}".TrimEnd());
        if (S("user_blob").Length > 0) text.AppendLine($"  user blob {S("user_blob")}");
        var missing = c.GetProperty("missing").EnumerateArray().Select(m => m.GetInt32()).ToList();
        text.AppendLine(c.GetProperty("complete").GetBoolean()
            ? "  complete"
            : $"  PARTIAL: {missing.Count} of {S("packet_count")} packets missing ({Ranges(missing)})");
        var registers = c.GetProperty("registers").EnumerateObject().ToList();
        if (registers.Count > 0)
        {
            text.AppendLine("registers:");
            for (var i = 0; i < registers.Count; i += 3)
                text.AppendLine("  " + string.Join("  ", registers.Skip(i).Take(3).Select(r => $"{r.Name,-7} {r.Value.GetString(),18}")));
        }
        text.AppendLine("report:");
        foreach (var line in S("report").Split('\n')) text.AppendLine("  " + line);
        if (full)
        {
            text.AppendLine("log:");
            text.AppendLine(S("log_text"));
        }
        return text.ToString();
    }

    /// <summary>`2-5,9` for [2,3,4,5,9].</summary>
    internal static string Ranges(IReadOnlyList<int> numbers)
    {
        var parts = new List<string>();
        for (var i = 0; i < numbers.Count;)
        {
            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1) j++;
            parts.Add(i == j ? $"{numbers[i]}" : $"{numbers[i]}-{numbers[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        // The last column (the title) is not padded: it may be long.
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
        Console.WriteLine(Line(header));
        foreach (var row in rows) Console.WriteLine(Line(row));
    }

    private static async Task<int> Run(Func<HttpClient, Task<int>> action, ParseResult parse)
    {
        var url = parse.GetValue(Url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri)) return Fail($"--url '{url}' is not an absolute http URL");
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return await action(http);
        }
        catch (HttpRequestException e)
        {
            return Fail($"cannot read {baseUri}: {e.Message} (is `netoops collector` running there?)");
        }
    }

    private static int Fail(string message)
    {
        try { message = JsonDocument.Parse(message).RootElement.GetProperty("error").GetString() ?? message; }
        catch (JsonException) { }
        catch (KeyNotFoundException) { }
        catch (InvalidOperationException) { }
        Console.Error.WriteLine($"netoops crashes: {message}");
        return 1;
    }

    private static void AddAll(Command command, IEnumerable<Option> options)
    {
        foreach (var option in options) command.Options.Add(option);
    }
}
