using Netoops.Analysis;

namespace Netoops.Cli.Commands;

/// <summary>The human summary of <c>netoops analyze --text</c>.</summary>
internal static class AnalysisText
{
    public static void Write(TextWriter output, string file, CrashReport? report)
    {
        output.WriteLine($"{file}:");
        if (report == null)
        {
            output.WriteLine("  no crash found");
            output.WriteLine();
            return;
        }
        output.WriteLine($"  title:     {report.Title}{(report.Corrupted ? "  (corrupted)" : "")}");
        output.WriteLine($"  kind:      {report.Kind} ({report.Type})");
        output.WriteLine($"  bucket:    {report.Bucket}");
        output.WriteLine($"  lines:     {report.StartLine + 1}-{report.EndLine + 1}");
        if (report.Frames.Count > 0)
            output.WriteLine($"  frames:    {string.Join(" < ", report.Frames.Take(8))}");
        if (report.Task is { } task)
            output.WriteLine($"  task:      {task.Comm} pid {task.Pid} on CPU {task.Cpu}");
        if (report.Kernel is { } kernel)
        {
            output.WriteLine($"  kernel:    {kernel.Release ?? "unknown"} {kernel.Build}".TrimEnd());
            output.WriteLine($"  tainted:   {(kernel.Taint.Length == 0 ? "no" : kernel.Taint)}");
            if (kernel.Modules.Count > 0)
                output.WriteLine($"  modules:   {string.Join(' ', kernel.Modules)}");
        }
        if (report.Hardware is { } hw)
            output.WriteLine($"  hardware:  {hw.System}{(hw.Board is null ? "" : " / " + hw.Board)}, BIOS {hw.BiosVersion} {hw.BiosDate}".TrimEnd());
        if (report.Registers is { } regs)
        {
            output.WriteLine($"  ip:        {regs.Function ?? $"0x{regs.Ip:x}"} (cs 0x{regs.Cs:x}{(regs.IsUserMode ? ", user" : "")})");
            output.WriteLine($"  sp:        0x{regs.Sp:x}  flags 0x{regs.Flags:x}  ax 0x{regs.Ax:x}  di 0x{regs.Di:x}  si 0x{regs.Si:x}");
        }
        output.WriteLine();
    }
}
