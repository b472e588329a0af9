using System.Globalization;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>A Prometheus text exposition, read sample by sample: "name{labels} value".</summary>
public sealed class PrometheusText(string text)
{
    /// <summary>The value of the sample named exactly so (labels included); a missing sample is a failed test.</summary>
    public double Value(string sample)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(sample + " ", StringComparison.Ordinal))
                continue;
            return double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
        }
        throw new Xunit.Sdk.XunitException($"no sample {sample} in the collector's /metrics");
    }

    public override string ToString() => text;
}
