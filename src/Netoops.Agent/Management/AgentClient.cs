using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace Netoops.Agent.Management;

/// <summary>A refused management request, carrying the agent's explanation.</summary>
public sealed class AgentRefusedException(ControlOutcome outcome, string message) : Exception(message)
{
    public ControlOutcome Outcome { get; } = outcome;
}

/// <summary>The CLI's side of the management API: HTTP over the agent's Unix socket.</summary>
public sealed class AgentClient : IDisposable
{
    private readonly HttpClient _http;

    public AgentClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://agent" + ManagementApi.Prefix + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task<AgentStatus> Status() => GetJson<AgentStatus>("status");
    public Task<DumpSummary> SoftDump() => SendJson<DumpSummary>(HttpMethod.Post, "dump/soft");
    public Task<List<string>> Subsystems() => GetJson<List<string>>("config");
    public Task<List<string>> Targets(string subsystem) => GetJson<List<string>>($"config/{Escape(subsystem)}");
    public Task<string> MakeTarget(string subsystem, string target) => SendJson<string>(HttpMethod.Post, $"config/{Escape(subsystem)}/{Escape(target)}");
    public Task<string> DropTarget(string subsystem, string target) => SendJson<string>(HttpMethod.Delete, $"config/{Escape(subsystem)}/{Escape(target)}");
    public Task<Dictionary<string, string>> Attributes(string subsystem, string target) => GetJson<Dictionary<string, string>>($"config/{Escape(subsystem)}/{Escape(target)}");
    public Task<string> ReadAttribute(string subsystem, string target, string attribute) => SendText(HttpMethod.Get, $"config/{Escape(subsystem)}/{Escape(target)}/{attribute}", null);
    public Task<string> WriteAttribute(string subsystem, string target, string attribute, string text) => SendText(HttpMethod.Put, $"config/{Escape(subsystem)}/{Escape(target)}/{attribute}", text);
    public Task<string> ReadSetting(string name) => SendText(HttpMethod.Get, $"netoops/{Escape(name)}", null);
    public Task<string> WriteSetting(string name, string text) => SendText(HttpMethod.Put, $"netoops/{Escape(name)}", text);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<T> GetJson<T>(string path) => await SendJson<T>(HttpMethod.Get, path);

    private async Task<T> SendJson<T>(HttpMethod method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method, path));
        await ThrowIfRefused(response);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private async Task<string> SendText(HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await _http.SendAsync(request);
        await ThrowIfRefused(response);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task ThrowIfRefused(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return;
        Refusal? refusal = null;
        try { refusal = await response.Content.ReadFromJsonAsync<Refusal>(); }
        catch (System.Text.Json.JsonException) { /* not ours: fall back to the status line */ }
        var outcome = response.StatusCode switch
        {
            HttpStatusCode.Conflict => ControlOutcome.Busy,
            HttpStatusCode.NotFound => ControlOutcome.NotFound,
            _ => ControlOutcome.Invalid,
        };
        throw new AgentRefusedException(outcome, refusal?.Message ?? $"{(int)response.StatusCode} {response.ReasonPhrase}");
    }

    public void Dispose() => _http.Dispose();
}
