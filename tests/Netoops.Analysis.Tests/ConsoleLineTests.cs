namespace Netoops.Analysis.Tests;

public class ConsoleLineTests
{
    [Fact]
    public void A_timestamped_line_loses_its_timestamp_and_keeps_the_console_context()
    {
        var line = ConsoleLine.Parse("[   42.000002] WARNING: CPU: 0 PID: 137 at x.c:9 f+0x1/0x2");
        Assert.Equal("WARNING: CPU: 0 PID: 137 at x.c:9 f+0x1/0x2", line.Text);
        Assert.Equal(ConsoleLine.ConsoleContext, line.Context);
        Assert.Equal(42.000002, line.Seconds!.Value, 6);
    }

    [Theory]
    [InlineData("[  123.456789][ T4242] Call Trace:", "T4242")]
    [InlineData("[  123.456789][    C1] Call Trace:", "C1")]
    [InlineData("<4>[  123.456789][T12] Call Trace:", "T12")]
    public void A_caller_tag_becomes_the_line_context(string raw, string context)
    {
        var line = ConsoleLine.Parse(raw);
        Assert.Equal("Call Trace:", line.Text);
        Assert.Equal(context, line.Context);
    }

    [Theory]
    [InlineData("[   10.1]  ? lock_release+0x10/0x20", "lock_release+0x10/0x20")]
    [InlineData("[   10.1]  [<ffffffff81000000>] ? lock_release+0x10/0x20", "lock_release+0x10/0x20")]
    public void Unreliable_stack_entries_are_flagged(string raw, string text)
    {
        var line = ConsoleLine.Parse(raw);
        Assert.True(line.Questionable);
        Assert.Equal(text, line.Text);
    }

    [Fact]
    public void An_undecorated_line_is_kept_whole_without_context()
    {
        var line = ConsoleLine.Parse("PC is at memset+0x30/0xa8\r");
        Assert.Equal("PC is at memset+0x30/0xa8", line.Text);
        Assert.Equal("", line.Context);
        Assert.Null(line.Seconds);
    }

    [Fact]
    public void A_dropped_messages_notice_glued_in_front_is_skipped()
    {
        var line = ConsoleLine.Parse("** 5311 printk messages dropped ** [   60.136772] INFO: Freed in f+0x14/0x20");
        Assert.Equal("INFO: Freed in f+0x14/0x20", line.Text);
    }
}

public class StackFrameTests
{
    [Fact]
    public void A_module_frame_gives_function_offsets_and_module()
    {
        Assert.True(StackFrame.TryParse(" provoke_write+0x5b/0x90 [provoke]", out var frame));
        Assert.Equal(new StackFrame("provoke_write", 0x5b, 0x90, "provoke", false), frame);
    }

    [Fact]
    public void Compiler_suffixes_are_dropped_from_the_name()
    {
        Assert.True(StackFrame.TryParse("  [<ffffffff81000000>] kobject_add_internal.cold.13+0xc8/0xe2", out var frame));
        Assert.Equal("kobject_add_internal", frame.Function);
    }

    [Fact]
    public void A_symbolized_inline_frame_is_read()
    {
        Assert.True(StackFrame.TryParse(" __dump_stack lib/dump_stack.c:77 [inline]", out var frame));
        Assert.True(frame.Inline);
        Assert.Equal("__dump_stack", frame.Function);
    }

    [Fact]
    public void An_arm_backtrace_line_gives_callee_then_caller()
    {
        var names = new List<string>();
        StackFrame.ReadFunctions("[<80b10c70>] (memset) from [<8062eec8>] (n_tty_set_termios+0x154/0x3c4)", names);
        Assert.Equal(["memset", "n_tty_set_termios"], names);
    }

    [Theory]
    [InlineData("RSP: 0018:ffffd33b0059bd08 EFLAGS: 00000286")]
    [InlineData("Modules linked in: a b c")]
    [InlineData(" <TASK>")]
    [InlineData("device lo entered promiscuous mode")]
    [InlineData("")]
    public void Lines_that_are_not_stack_entries_are_refused(string line)
    {
        Assert.False(StackFrame.TryParse(line, out _));
    }
}
