using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Netoops.Agent.Management;

/// <summary>
/// The configfs tree, netoops settings, soft dump and status as HTTP/JSON, served on the agent's
/// Unix socket. Attribute values travel as configfs text (request and response bodies are plain
/// text, e.g. "1\n"); refusals are JSON <c>{"outcome":"Busy","message":"…"}</c> with 409 (busy),
/// 400 (invalid) or 404 (unknown).
/// </summary>
public static class ManagementApi
{
    public const string Prefix = "/v1";

    public static void MapManagementApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup(Prefix);

        v1.MapGet("/status", async (IAgentControl control) => Results.Json(await control.Status()));
        v1.MapPost("/dump/soft", async (IAgentControl control) => Reply(await control.SoftDump()));

        v1.MapGet("/config", async (IAgentControl control) => Results.Json(await control.Subsystems()));
        v1.MapGet("/config/{subsystem}", async (IAgentControl control, string subsystem)
            => Reply(await control.Targets(subsystem)));
        v1.MapPost("/config/{subsystem}/{target}", async (IAgentControl control, string subsystem, string target)
            => Reply(await control.MakeTarget(subsystem, target)));
        v1.MapDelete("/config/{subsystem}/{target}", async (IAgentControl control, string subsystem, string target)
            => Reply(await control.DropTarget(subsystem, target)));
        v1.MapGet("/config/{subsystem}/{target}", async (IAgentControl control, string subsystem, string target)
            => Reply(await control.Attributes(subsystem, target)));
        // {**attribute} also carries userdata paths such as "userdata/rack/value".
        v1.MapGet("/config/{subsystem}/{target}/{**attribute}", async (IAgentControl control, string subsystem, string target, string attribute)
            => Text(await control.ReadAttribute(subsystem, target, attribute)));
        v1.MapPut("/config/{subsystem}/{target}/{**attribute}", async (IAgentControl control, HttpRequest request, string subsystem, string target, string attribute)
            => Text(await control.WriteAttribute(subsystem, target, attribute, await Body(request))));

        v1.MapGet("/netoops/{setting}", async (IAgentControl control, string setting) => Text(await control.ReadSetting(setting)));
        v1.MapPut("/netoops/{setting}", async (IAgentControl control, HttpRequest request, string setting)
            => Text(await control.WriteSetting(setting, await Body(request))));
    }

    /// <summary>The Prometheus text exposition of the status counters.</summary>
    public static void MapMetrics(this IEndpointRouteBuilder app)
        => app.MapGet("/metrics", async (IAgentControl control) =>
        {
            var status = await control.Status();
            var text = new StringBuilder();
            foreach (var (name, value) in status.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
                text.Append("netoops_agent_").Append(name).Append(' ').Append(value).Append('\n');
            foreach (var target in status.Targets)
                text.Append($"netoops_agent_target_enabled{{subsystem=\"{target.Subsystem}\",target=\"{target.Name}\"}} {(target.State == "Enabled" ? 1 : 0)}\n");
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });

    private static async Task<string> Body(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static IResult Reply<T>(ControlResult<T> result)
        => result.Outcome == ControlOutcome.Ok ? Results.Json(result.Value) : Refusal(result);

    private static IResult Text(ControlResult<string> result)
        => result.Outcome == ControlOutcome.Ok ? Results.Text(result.Value ?? "") : Refusal(result);

    private static IResult Refusal<T>(ControlResult<T> result)
        => Results.Json(new Refusal(result.Outcome.ToString(), result.Message ?? ""), statusCode: result.Outcome switch
        {
            ControlOutcome.Busy => StatusCodes.Status409Conflict,
            ControlOutcome.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status400BadRequest,
        });
}

/// <summary>The body of every refused request.</summary>
public sealed record Refusal(string Outcome, string Message);
