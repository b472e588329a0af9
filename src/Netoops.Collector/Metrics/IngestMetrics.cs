namespace Netoops.Collector.Metrics;

/// <summary>What one UDP receive loop saw (one instance per channel: netoops, netconsole).</summary>
public sealed class IngestMetrics(string channel)
{
    public string Channel { get; } = channel;
    public Counter Received { get; } = new();
    public Counter Bytes { get; } = new();
    public Counter Accepted { get; } = new();
    public LabeledCounter Invalid { get; } = new("kind");
    public Counter RateLimited { get; } = new();
    public Counter NotAllowed { get; } = new();
    public Gauge ReceiveBufferBytes { get; } = new();
    public Gauge ReceiveThreadNice { get; } = new();
    /// <summary>Read from the kernel (/proc/net/udp) when metrics are rendered.</summary>
    public Func<long> KernelDropped { get; set; } = () => 0;
}
